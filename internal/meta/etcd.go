package meta

import (
	"context"
	"fmt"
	"strings"

	"go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Etcd is the Store of a cluster: keys live in etcd under a prefix, and a
// key's version is etcd's own (1 at creation, +1 on every put, gone with
// the key), so compare-and-swap is one etcd transaction.
type Etcd struct {
	cli    *clientv3.Client
	prefix string
}

var _ Store = (*Etcd)(nil)

// listPage is how many keys one etcd range request of List returns: a
// large List is read in pages at one revision, never in one response that
// could pass etcd's request size limit.
const listPage = 500

// NewEtcd returns a Store over cli whose keys all start with prefix (for
// example "/braid/v1/meta/"). Close does not close cli: its owner does.
func NewEtcd(cli *clientv3.Client, prefix string) *Etcd {
	return &Etcd{cli: cli, prefix: prefix}
}

func (e *Etcd) key(k string) string { return e.prefix + k }

// Get implements Store.
func (e *Etcd) Get(ctx context.Context, key string) (KV, error) {
	resp, err := e.cli.Get(ctx, e.key(key))
	if err != nil {
		return KV{}, fmt.Errorf("meta: get %s from etcd: %w", key, err)
	}
	if len(resp.Kvs) == 0 {
		return KV{}, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	kv := resp.Kvs[0]
	return KV{Key: key, Value: kv.Value, Version: kv.Version}, nil
}

// Put implements Store.
func (e *Etcd) Put(ctx context.Context, key string, value []byte, expect int64) (int64, error) {
	k := e.key(key)
	txn := e.cli.Txn(ctx)
	if expect != Any {
		txn = txn.If(clientv3.Compare(clientv3.Version(k), "=", expect))
	}
	resp, err := txn.Then(clientv3.OpPut(k, string(value)), clientv3.OpGet(k, clientv3.WithKeysOnly())).
		Else(clientv3.OpGet(k, clientv3.WithKeysOnly())).Commit()
	if err != nil {
		return 0, fmt.Errorf("meta: put %s to etcd: %w", key, err)
	}
	if !resp.Succeeded {
		return 0, fmt.Errorf("%w: %s is at version %d, not %d", ErrConflict, key, version(resp.Responses[0]), expect)
	}
	return version(resp.Responses[1]), nil
}

// version is the version of the key a transaction's get read (0: absent).
func version(r *etcdserverpb.ResponseOp) int64 {
	kvs := r.GetResponseRange().GetKvs()
	if len(kvs) == 0 {
		return 0
	}
	return kvs[0].Version
}

// Delete implements Store.
func (e *Etcd) Delete(ctx context.Context, key string, expect int64) error {
	k := e.key(key)
	cmp := clientv3.Compare(clientv3.Version(k), ">", 0)
	if expect != Any {
		cmp = clientv3.Compare(clientv3.Version(k), "=", expect)
	}
	resp, err := e.cli.Txn(ctx).If(cmp).Then(clientv3.OpDelete(k)).
		Else(clientv3.OpGet(k, clientv3.WithKeysOnly())).Commit()
	if err != nil {
		return fmt.Errorf("meta: delete %s from etcd: %w", key, err)
	}
	if resp.Succeeded {
		return nil
	}
	cur := version(resp.Responses[0])
	if cur == 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return fmt.Errorf("%w: %s is at version %d, not %d", ErrConflict, key, cur, expect)
}

// List implements Store. The pages are read at the first page's revision,
// so the result is one consistent snapshot.
func (e *Etcd) List(ctx context.Context, prefix string) ([]KV, error) {
	p := e.key(prefix)
	end := clientv3.GetPrefixRangeEnd(p)
	var out []KV
	var rev int64
	for from := p; ; {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(listPage),
			clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend)}
		if rev > 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		resp, err := e.cli.Get(ctx, from, opts...)
		if err != nil {
			return nil, fmt.Errorf("meta: list %s from etcd: %w", prefix, err)
		}
		rev = resp.Header.Revision
		for _, kv := range resp.Kvs {
			out = append(out, KV{Key: strings.TrimPrefix(string(kv.Key), e.prefix), Value: kv.Value, Version: kv.Version})
		}
		if !resp.More || len(resp.Kvs) == 0 {
			return out, nil
		}
		from = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
}

// Close implements Store; the client stays open.
func (e *Etcd) Close() error { return nil }
