package httpapi

// groupRoutes are reader group administration.
func (a *API) groupRoutes() []route { return nil }
