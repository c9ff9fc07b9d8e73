package server

import (
	"slices"
	"strings"
	"testing"
)

func TestParseClusterURL(t *testing.T) {
	for _, tc := range []struct {
		in        string
		endpoints []string
		prefix    string
		err       string
	}{
		{in: "etcd://a:2379", endpoints: []string{"http://a:2379"}},
		{in: "etcd://a:2379,b:2379/p/q", endpoints: []string{"http://a:2379", "http://b:2379"}, prefix: "/p/q/"},
		{in: "etcds://a:2379", endpoints: []string{"https://a:2379"}},
		{in: "http://a:2379", err: "want etcd://"},
		{in: "etcd://a", err: `endpoint "a": want HOST:PORT`},
		{in: "etcds://a:1,b", err: `endpoint "b"`},
	} {
		cc, err := ParseClusterURL(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want an error with %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.in, err)
		case !slices.Equal(cc.Endpoints, tc.endpoints) || cc.Prefix != tc.prefix:
			t.Errorf("%s: endpoints %v prefix %q, want %v %q", tc.in, cc.Endpoints, cc.Prefix, tc.endpoints, tc.prefix)
		}
	}
	cc, _ := ParseClusterURL("etcd://a:2379")
	cc.EtcdCA = "ca.pem"
	if _, err := cc.etcdTLS(); err == nil || !strings.Contains(err.Error(), "etcds://") {
		t.Errorf("--etcd-ca with etcd://: %v, want an error naming etcds://", err)
	}
}
