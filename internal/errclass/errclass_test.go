package errclass

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/internal/exportjob"
	"github.com/braidstream/braid/internal/gc"
	"github.com/braidstream/braid/internal/group"
	"github.com/braidstream/braid/internal/queryjob"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/wire"
)

// want is the table as the wire contract states it, written out apart from
// classes so that a changed code fails here.
var want = []struct {
	name string
	err  error
	code wire.Code
	grpc codes.Code
}{
	{"controller.ErrInvalidArgument", controller.ErrInvalidArgument, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"segstore.ErrBadEvents", segstore.ErrBadEvents, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"segstore.ErrBadName", segstore.ErrBadName, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"segstore.ErrNotEventBoundary", segstore.ErrNotEventBoundary, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"segstore.ErrOffsetOutOfRange", segstore.ErrOffsetOutOfRange, wire.CodeInvalidArgument, codes.OutOfRange},
	{"controller.ErrScopeNotFound", controller.ErrScopeNotFound, wire.CodeNotFound, codes.NotFound},
	{"controller.ErrStreamNotFound", controller.ErrStreamNotFound, wire.CodeNotFound, codes.NotFound},
	{"segstore.ErrNotFound", segstore.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{"controller.ErrScopeExists", controller.ErrScopeExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{"controller.ErrStreamExists", controller.ErrStreamExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{"segstore.ErrExists", segstore.ErrExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{"controller.ErrScopeNotEmpty", controller.ErrScopeNotEmpty, wire.CodeInvalidArgument, codes.FailedPrecondition},
	{"segstore.ErrSealed", segstore.ErrSealed, wire.CodeSealed, codes.FailedPrecondition},
	{"controller.ErrStreamSealed", controller.ErrStreamSealed, wire.CodeSealed, codes.FailedPrecondition},
	{"controller.ErrScaleConflict", controller.ErrScaleConflict, wire.CodeConflict, codes.Aborted},
	{"controller.ErrQuotaExceeded", controller.ErrQuotaExceeded, wire.CodeQuotaExceeded, codes.ResourceExhausted},
	{"errclass.ErrProtocolVersion", ErrProtocolVersion, wire.CodeProtocolVersion, codes.Unimplemented},
	{"group.ErrGroupNotFound", group.ErrGroupNotFound, wire.CodeNotFound, codes.NotFound},
	{"group.ErrGroupExists", group.ErrGroupExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{"group.ErrBusy", group.ErrBusy, wire.CodeConflict, codes.Aborted},
	{"ephemeral.ErrNotFound", ephemeral.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{"ephemeral.ErrUnknownHolder", ephemeral.ErrUnknownHolder, wire.CodeNotFound, codes.NotFound},
	{"ephemeral.ErrDeleting", ephemeral.ErrDeleting, wire.CodeConflict, codes.Aborted},
	{"ephemeral.ErrInvalid", ephemeral.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"ephemeral.ErrNotLoaded", ephemeral.ErrNotLoaded, wire.CodeUnavailable, codes.Unavailable},
	{"gc.ErrInvalid", gc.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"exportjob.ErrNotFound", exportjob.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{"exportjob.ErrStreamNotFound", exportjob.ErrStreamNotFound, wire.CodeNotFound, codes.NotFound},
	{"exportjob.ErrExists", exportjob.ErrExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{"exportjob.ErrInvalid", exportjob.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"queryjob.ErrNotFound", queryjob.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{"queryjob.ErrExists", queryjob.ErrExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{"queryjob.ErrInvalid", queryjob.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{"group.ErrNotMember", group.ErrNotMember, wire.CodeUnavailable, codes.Unavailable},
	{"segstore.ErrNotOwner", segstore.ErrNotOwner, wire.CodeUnavailable, codes.Unavailable},
	{"segstore.ErrFenced", segstore.ErrFenced, wire.CodeUnavailable, codes.Unavailable},
	{"segstore.ErrTruncated", segstore.ErrTruncated, wire.CodeTruncated, codes.OutOfRange},
	{"segstore.ErrTooLarge", segstore.ErrTooLarge, wire.CodeEventTooLarge, codes.InvalidArgument},
	{"segstore.ErrEventNumberGap", segstore.ErrEventNumberGap, wire.CodeEventNumberGap, codes.FailedPrecondition},
	{"segstore.ErrEventNumberOverlap", segstore.ErrEventNumberOverlap, wire.CodeEventNumberGap, codes.FailedPrecondition},
	{"segstore.ErrStorageFull", segstore.ErrStorageFull, wire.CodeStorageFull, codes.ResourceExhausted},
	{"segstore.ErrStorageFailed", segstore.ErrStorageFailed, wire.CodeStorageFailed, codes.Unavailable},
	{"segstore.ErrClosed", segstore.ErrClosed, wire.CodeUnavailable, codes.Unavailable},
	{"segstore.ErrTier2Behind", segstore.ErrTier2Behind, wire.CodeUnavailable, codes.Unavailable},
	{"segstore.ErrCorrupt", segstore.ErrCorrupt, wire.CodeCorrupt, codes.DataLoss},
	{"context.Canceled", context.Canceled, wire.CodeCanceled, codes.Canceled},
	{"context.DeadlineExceeded", context.DeadlineExceeded, wire.CodeDeadlineExceeded, codes.DeadlineExceeded},
}

func TestClassify(t *testing.T) {
	for _, tc := range want {
		for _, form := range []struct {
			name string
			err  error
		}{
			{"bare", tc.err},
			{"wrapped", fmt.Errorf("op on s/x: %w", tc.err)},
			{"wrapped twice", fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", tc.err))},
		} {
			t.Run(tc.name+"/"+form.name, func(t *testing.T) {
				code, gc := Classify(form.err)
				if code != tc.code || gc != tc.grpc {
					t.Errorf("Classify(%q) = %s, %s; want %s, %s", form.err, code, gc, tc.code, tc.grpc)
				}
			})
		}
	}
}

// TestClassifyCoversTable checks that want covers every entry of classes,
// so an entry added to the table without a case here fails.
func TestClassifyCoversTable(t *testing.T) {
	tested := make(map[error]bool, len(want))
	for _, tc := range want {
		tested[tc.err] = true
	}
	for i, c := range classes {
		if !tested[c.err] {
			t.Errorf("classes[%d] (%v → %s, %s) has no case in want", i, c.err, c.code, c.grpc)
		}
	}
	if len(want) != len(classes) {
		t.Errorf("want has %d cases, classes %d entries", len(want), len(classes))
	}
}

func TestClassifyCorruption(t *testing.T) {
	ce := &wal.CorruptionError{File: "000001.log", Offset: 4096, Reason: "bad checksum"}
	for _, err := range []error{ce, fmt.Errorf("replay: %w", ce)} {
		code, gc := Classify(err)
		if code != wire.CodeCorrupt || gc != codes.DataLoss {
			t.Errorf("Classify(%q) = %s, %s; want %s, %s", err, code, gc, wire.CodeCorrupt, codes.DataLoss)
		}
	}
}

func TestClassifyUnknown(t *testing.T) {
	for _, err := range []error{
		errors.New("something else"),
		fmt.Errorf("wrapped: %w", errors.New("something else")),
	} {
		code, gc := Classify(err)
		if code != wire.CodeInternal || gc != codes.Internal {
			t.Errorf("Classify(%q) = %s, %s; want %s, %s", err, code, gc, wire.CodeInternal, codes.Internal)
		}
	}
}
