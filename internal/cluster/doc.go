// Package cluster is what a braid node of a cluster keeps in etcd: its
// membership (a key under a lease), the controller election, and the
// assignment of the cluster's fixed set of containers to nodes, each with
// an owner epoch.
//
// Keys, under a prefix (default /braid/v1/):
//
//	nodes/<id>        NodeInfo, under the node's lease: gone when the node is
//	election/<lease>  the controller election (etcd's concurrency package)
//	containers/<k>    Assignment{owner, epoch}, written by the leader only
//
// The leader moves a container whose owner's key is gone to the live node
// with the fewest containers, with epoch+1, and moves at most one container
// per rebalance interval from the fullest node to the emptiest. Every
// assignment write is one transaction that holds only while the writer's
// election key is the one it won with, and while the container's key is at
// the revision the leader read: a deposed leader's write fails.
//
// etcd decides who should own a container; it does not fence. The fencing
// is the container's log in S3 (package s3log): a new owner writes its
// epoch at the log's end, and a deposed owner's next write fails there. So
// a node never drops its containers because its lease lapsed or etcd is
// unreachable: it keeps serving them until its log says it was fenced or
// the assignment it watches moves them.
package cluster
