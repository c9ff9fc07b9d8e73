package engine

// TakeResults returns the results made since the last call, in the order
// they were made, and forgets them.
func (e *Engine) TakeResults() []Result {
	r := e.results
	e.results = nil
	return r
}

// TakeLate returns the late and future events since the last call, when
// the query's late policy is "stream" (with "drop" they are only
// counted), and forgets them.
func (e *Engine) TakeLate() []Late {
	l := e.late
	e.late = nil
	return l
}

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	s := Stats{
		EventsIn:      e.st.eventsIn,
		Matched:       e.st.matched,
		Filtered:      e.st.filtered,
		BadJSON:       e.st.badJSON,
		BadTime:       e.st.badTime,
		TypeErrors:    e.st.typeErrors,
		Late:          e.st.late,
		Future:        e.st.future,
		DroppedGroups: e.st.droppedGroups,
		ResultsOut:    e.st.resultsOut,
		ResultErrors:  e.st.resultErrors,
		OpenGroups:    e.openGroups,
		LastEventAt:   e.lastEventAt,
		LastResultAt:  e.lastResultAt,
		LastError:     e.lastError,
		Missing:       make(map[string]int64, len(e.missing)),
	}
	if e.win != nil {
		s.OpenWindows = e.win.open()
	}
	if e.hasWM {
		s.Watermark = fromNanos(e.wm)
	}
	if e.hasMax {
		s.MaxEventTime = fromNanos(e.maxT)
	}
	for id, n := range e.missing {
		s.Missing[e.fields.names[id]] = n
	}
	return s
}

// Columns returns the results' columns in order, with their roles (for
// the dashboard's chart). SELECT * is one column named "*".
func (e *Engine) Columns() []Column {
	return append([]Column(nil), e.columns...)
}
