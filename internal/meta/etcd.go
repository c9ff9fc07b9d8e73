package meta

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Etcd is the Store of a cluster: keys live in etcd under a prefix, and a
// key's version is etcd's own (1 at creation, +1 on every put, gone with
// the key), so compare-and-swap is one etcd transaction.
//
// Reads are served from a copy of the prefix kept current by an etcd
// watch, so that the data path does not wait on etcd, and goes on while
// etcd is unreachable (writes then fail). The copy lags other nodes'
// writes by the watch's delay; its own writes show at once. A stale read
// costs a CAS conflict, never a lost write: every change is a
// compare-and-swap against etcd itself, and a conflict refreshes the key.
type Etcd struct {
	cli    *clientv3.Client
	prefix string
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.RWMutex
	synced chan struct{} // closed once the copy is loaded
	kvs    map[string]entry
	rev    int64 // the revision the watch has reached
}

// entry is one key of the copy; a deleted key stays as a tombstone until
// the watch passes its revision, so that a late event cannot revive it.
type entry struct {
	value   []byte
	version int64
	mod     int64
	gone    bool
}

var _ Store = (*Etcd)(nil)

// listPage is how many keys one etcd range request returns: a large
// prefix is read in pages at one revision, never in one response that
// could pass etcd's request size limit.
const listPage = 500

// NewEtcd returns a Store over cli whose keys all start with prefix (for
// example "/braid/v1/meta/"), and starts keeping its copy. Close stops
// that; it does not close cli: its owner does.
func NewEtcd(cli *clientv3.Client, prefix string) *Etcd {
	e := &Etcd{cli: cli, prefix: prefix, synced: make(chan struct{}), kvs: map[string]entry{}}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.wg.Add(1)
	go e.follow()
	return e
}

func (e *Etcd) key(k string) string { return e.prefix + k }

// follow loads the prefix and applies the watch's events until Close.
func (e *Etcd) follow() {
	defer e.wg.Done()
	for e.ctx.Err() == nil {
		rev, err := e.load()
		if err != nil {
			sleepCtx(e.ctx, time.Second)
			continue
		}
		wch := e.cli.Watch(clientv3.WithRequireLeader(e.ctx), e.prefix, clientv3.WithPrefix(), clientv3.WithRev(rev+1))
		for resp := range wch {
			if resp.Err() != nil {
				break // compacted or cancelled: load again
			}
			e.mu.Lock()
			for _, ev := range resp.Events {
				k := strings.TrimPrefix(string(ev.Kv.Key), e.prefix)
				if cur, ok := e.kvs[k]; ok && cur.mod >= ev.Kv.ModRevision {
					continue
				}
				if ev.Type == clientv3.EventTypeDelete {
					e.kvs[k] = entry{mod: ev.Kv.ModRevision, gone: true}
				} else {
					e.kvs[k] = entry{value: ev.Kv.Value, version: ev.Kv.Version, mod: ev.Kv.ModRevision}
				}
			}
			e.rev = max(e.rev, resp.Header.Revision)
			e.purgeLocked()
			e.mu.Unlock()
		}
	}
}

// load reads the whole prefix at one revision into the copy.
func (e *Etcd) load() (int64, error) {
	kvs, rev, err := e.rangeAll(e.ctx, e.prefix)
	if err != nil {
		return 0, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	seen := make(map[string]bool, len(kvs))
	for _, kv := range kvs {
		k := strings.TrimPrefix(string(kv.Key), e.prefix)
		seen[k] = true
		if cur, ok := e.kvs[k]; !ok || cur.mod < kv.ModRevision {
			e.kvs[k] = entry{value: kv.Value, version: kv.Version, mod: kv.ModRevision}
		}
	}
	for k, cur := range e.kvs {
		if !seen[k] && cur.mod <= rev {
			delete(e.kvs, k) // deleted before rev
		}
	}
	e.rev = max(e.rev, rev)
	e.purgeLocked()
	select {
	case <-e.synced:
	default:
		close(e.synced)
	}
	return rev, nil
}

func (e *Etcd) purgeLocked() {
	for k, cur := range e.kvs {
		if cur.gone && cur.mod <= e.rev {
			delete(e.kvs, k)
		}
	}
}

// rangeAll reads every key under p, in pages at one revision.
func (e *Etcd) rangeAll(ctx context.Context, p string) ([]*mvccpb.KeyValue, int64, error) {
	end := clientv3.GetPrefixRangeEnd(p)
	var out []*mvccpb.KeyValue
	var rev int64
	for from := p; ; {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(listPage),
			clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend)}
		if rev > 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		resp, err := e.cli.Get(ctx, from, opts...)
		if err != nil {
			return nil, 0, err
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		out = append(out, resp.Kvs...)
		if !resp.More || len(resp.Kvs) == 0 {
			return out, rev, nil
		}
		from = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
}

// wait waits until the copy is loaded.
func (e *Etcd) wait(ctx context.Context) error {
	select {
	case <-e.synced:
		return nil // loaded: whatever ctx says now
	default:
	}
	select {
	case <-e.synced:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("meta: etcd not read yet: %w", ctx.Err())
	case <-e.ctx.Done():
		return fmt.Errorf("meta: closed")
	}
}

// set records the outcome of this node's own write or of a read of the
// key from etcd.
func (e *Etcd) set(k string, value []byte, version, mod int64, gone bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if cur, ok := e.kvs[k]; ok && cur.mod >= mod {
		return
	}
	e.kvs[k] = entry{value: value, version: version, mod: mod, gone: gone}
}

// Get implements Store.
func (e *Etcd) Get(ctx context.Context, key string) (KV, error) {
	if err := e.wait(ctx); err != nil {
		return KV{}, err
	}
	e.mu.RLock()
	cur, ok := e.kvs[key]
	e.mu.RUnlock()
	if !ok || cur.gone {
		return KV{}, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return KV{Key: key, Value: cur.value, Version: cur.version}, nil
}

// freshTimeout bounds GetFresh's read: with etcd unreachable, a caller
// waits that long before the copy answers.
const freshTimeout = time.Second

// GetFresh reads a key from etcd itself (a linearizable read) and updates
// the copy with it: for a read that must see every node's writes so far,
// such as one about to answer "not found" for a key another node may
// have just written.
func (e *Etcd) GetFresh(ctx context.Context, key string) (KV, error) {
	ctx, cancel := context.WithTimeout(ctx, freshTimeout)
	defer cancel()
	resp, err := e.cli.Get(ctx, e.key(key))
	if err != nil {
		return KV{}, fmt.Errorf("meta: get %s from etcd: %w", key, err)
	}
	if len(resp.Kvs) == 0 {
		e.set(key, nil, 0, resp.Header.Revision, true)
		return KV{}, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	kv := resp.Kvs[0]
	e.set(key, kv.Value, kv.Version, kv.ModRevision, false)
	return KV{Key: key, Value: kv.Value, Version: kv.Version}, nil
}

// Put implements Store.
func (e *Etcd) Put(ctx context.Context, key string, value []byte, expect int64) (int64, error) {
	k := e.key(key)
	txn := e.cli.Txn(ctx)
	if expect != Any {
		txn = txn.If(clientv3.Compare(clientv3.Version(k), "=", expect))
	}
	resp, err := txn.Then(clientv3.OpPut(k, string(value)), clientv3.OpGet(k)).Else(clientv3.OpGet(k)).Commit()
	if err != nil {
		return 0, fmt.Errorf("meta: put %s to etcd: %w", key, err)
	}
	if !resp.Succeeded {
		cur := e.refresh(key, resp.Responses[0], resp.Header.Revision)
		return 0, fmt.Errorf("%w: %s is at version %d, not %d", ErrConflict, key, cur, expect)
	}
	kv := resp.Responses[1].GetResponseRange().GetKvs()[0]
	e.set(key, kv.Value, kv.Version, kv.ModRevision, false)
	return kv.Version, nil
}

// refresh puts what a transaction's get read of key into the copy and
// returns its version (0: absent).
func (e *Etcd) refresh(key string, r *etcdserverpb.ResponseOp, rev int64) int64 {
	kvs := r.GetResponseRange().GetKvs()
	if len(kvs) == 0 {
		e.set(key, nil, 0, rev, true)
		return 0
	}
	e.set(key, kvs[0].Value, kvs[0].Version, kvs[0].ModRevision, false)
	return kvs[0].Version
}

// Delete implements Store.
func (e *Etcd) Delete(ctx context.Context, key string, expect int64) error {
	k := e.key(key)
	cmp := clientv3.Compare(clientv3.Version(k), ">", 0)
	if expect != Any {
		cmp = clientv3.Compare(clientv3.Version(k), "=", expect)
	}
	resp, err := e.cli.Txn(ctx).If(cmp).Then(clientv3.OpDelete(k)).Else(clientv3.OpGet(k)).Commit()
	if err != nil {
		return fmt.Errorf("meta: delete %s from etcd: %w", key, err)
	}
	if resp.Succeeded {
		e.set(key, nil, 0, resp.Header.Revision, true)
		return nil
	}
	cur := e.refresh(key, resp.Responses[0], resp.Header.Revision)
	if cur == 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return fmt.Errorf("%w: %s is at version %d, not %d", ErrConflict, key, cur, expect)
}

// List implements Store, from the copy.
func (e *Etcd) List(ctx context.Context, prefix string) ([]KV, error) {
	if err := e.wait(ctx); err != nil {
		return nil, err
	}
	e.mu.RLock()
	var out []KV
	for k, cur := range e.kvs {
		if !cur.gone && strings.HasPrefix(k, prefix) {
			out = append(out, KV{Key: k, Value: cur.value, Version: cur.version})
		}
	}
	e.mu.RUnlock()
	slices.SortFunc(out, func(a, b KV) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// Close implements Store: it stops keeping the copy; the client stays
// open.
func (e *Etcd) Close() error {
	e.cancel()
	e.wg.Wait()
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
