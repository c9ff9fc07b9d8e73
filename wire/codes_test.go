package wire

import "testing"

// TestCodesStable pins the error code strings: clients match on them.
func TestCodesStable(t *testing.T) {
	tests := []struct {
		code Code
		want string
	}{
		{CodeInvalidArgument, "INVALID_ARGUMENT"},
		{CodeNotFound, "NOT_FOUND"},
		{CodeAlreadyExists, "ALREADY_EXISTS"},
		{CodeSealed, "SEALED"},
		{CodeTruncated, "TRUNCATED"},
		{CodeEventTooLarge, "EVENT_TOO_LARGE"},
		{CodeEventNumberGap, "EVENT_NUMBER_GAP"},
		{CodeQuotaExceeded, "QUOTA_EXCEEDED"},
		{CodeProtocolVersion, "PROTOCOL_VERSION"},
		{CodeStorageFull, "STORAGE_FULL"},
		{CodeStorageFailed, "STORAGE_FAILED"},
		{CodeUnavailable, "UNAVAILABLE"},
		{CodeCorrupt, "CORRUPT"},
		{CodeInternal, "INTERNAL"},
		{CodeDeadlineExceeded, "DEADLINE_EXCEEDED"},
		{CodeCanceled, "CANCELED"},
		{CodeUnauthenticated, "UNAUTHENTICATED"},
		{CodePermissionDenied, "PERMISSION_DENIED"},
	}
	seen := map[Code]bool{}
	for _, tt := range tests {
		if string(tt.code) != tt.want {
			t.Errorf("code %q, want %q", tt.code, tt.want)
		}
		if seen[tt.code] {
			t.Errorf("duplicate code %q", tt.code)
		}
		seen[tt.code] = true
	}
	if ErrorDomain != "braid.io" {
		t.Errorf("ErrorDomain = %q", ErrorDomain)
	}
}
