package httpapi

import (
	"log/slog"

	"github.com/braidstream/braid/internal/autoscale"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// Ingester appends events for HTTP requests straight to the segment store.
type Ingester struct {
	ctrl  *controller.Controller
	store *segstore.Store
	load  *autoscale.Recorder
	log   *slog.Logger
}

// NewIngester makes an Ingester; load (may be nil) counts appends for the
// auto-scaler.
func NewIngester(ctrl *controller.Controller, store *segstore.Store, load *autoscale.Recorder, log *slog.Logger) *Ingester {
	return &Ingester{ctrl: ctrl, store: store, load: load, log: log}
}
