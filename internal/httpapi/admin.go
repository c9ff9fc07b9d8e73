package httpapi

// adminRoutes are scopes, streams and stream cuts.
func (a *API) adminRoutes() []route { return nil }
