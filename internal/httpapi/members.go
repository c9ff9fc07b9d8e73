package httpapi

// members holds the reader group members that HTTP clients joined.
type members struct{ a *API }

func newMembers(a *API) *members { return &members{a: a} }

// closeAll makes every member leave.
func (m *members) closeAll() {}

// memberRoutes let an HTTP client be a reader group member.
func (a *API) memberRoutes() []route { return nil }
