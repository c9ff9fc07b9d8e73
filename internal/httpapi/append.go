package httpapi

// appendRoutes are event appends and file uploads.
func (a *API) appendRoutes() []route { return nil }
