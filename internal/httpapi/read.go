package httpapi

// readRoutes are event reads, Server-Sent Events, blob downloads and fetch
// by pointer.
func (a *API) readRoutes() []route { return nil }
