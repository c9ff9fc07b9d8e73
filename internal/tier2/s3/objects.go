package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/braidstream/braid/internal/tier2"
)

// ErrExists is returned by Create when the key already holds an object.
var ErrExists = errors.New("object already exists")

// ObjectHead is what HeadObject tells of an object.
type ObjectHead struct {
	Size int64
	// ETag is the entity tag without its quotes; for an object stored
	// with one PutObject (no multipart upload, no SSE-KMS) it is the hex
	// MD5 of its bytes.
	ETag string
	// Metadata holds the object's user metadata (x-amz-meta-*), names in
	// lower case.
	Metadata map[string]string
}

// Create stores data as key's object only if key holds none yet
// (PutObject with If-None-Match: *), with the given user metadata. It
// returns an error wrapping ErrExists when an object is there (412, or
// 409 from a concurrent create of the same key).
func (s *Store) Create(ctx context.Context, key string, data []byte, meta map[string]string) error {
	if err := tier2.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("tier2/s3: create %q: %w", key, err)
	}
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(s.objectKey(key)),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
		ContentType:   aws.String("application/octet-stream"),
		IfNoneMatch:   aws.String("*"),
		Metadata:      meta,
	})
	if err != nil {
		switch httpStatus(err) {
		case http.StatusPreconditionFailed, http.StatusConflict:
			if ctx.Err() == nil {
				return fmt.Errorf("tier2/s3: create %q: %w", key, ErrExists)
			}
		}
		return s.wrap(ctx, "create", key, err)
	}
	return nil
}

// Head returns key's size, entity tag and user metadata, or an error
// wrapping tier2.ErrNotFound.
func (s *Store) Head(ctx context.Context, key string) (ObjectHead, error) {
	if err := tier2.ValidKey(key); err != nil {
		return ObjectHead{}, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	if err != nil {
		return ObjectHead{}, s.wrap(ctx, "head", key, err)
	}
	return ObjectHead{
		Size:     aws.ToInt64(out.ContentLength),
		ETag:     strings.Trim(aws.ToString(out.ETag), `"`),
		Metadata: out.Metadata,
	}, nil
}

// CheckBucket makes one cheap request (HeadBucket) so that a missing
// bucket, wrong credentials or an unreachable endpoint are reported before
// any work, each in words.
func (s *Store) CheckBucket(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("bucket %q: %w", s.bucket, cerr)
	}
	switch httpStatus(err) {
	case http.StatusNotFound:
		return fmt.Errorf("bucket %q does not exist (create it first, e.g. aws s3 mb s3://%s)", s.bucket, s.bucket)
	case http.StatusForbidden, http.StatusUnauthorized:
		return fmt.Errorf("bucket %q: access denied: check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE) and the bucket's policy", s.bucket)
	case http.StatusMovedPermanently, http.StatusBadRequest:
		return fmt.Errorf("bucket %q: the server refused the request (%d): check the region (AWS_REGION) and the endpoint", s.bucket, httpStatus(err))
	}
	return fmt.Errorf("bucket %q: %w", s.bucket, err)
}

// IsThrottle reports whether err is S3 asking the client to slow down
// (503 SlowDown, 429, or a throttling error code), after the SDK's
// retries ran out.
func IsThrottle(err error) bool {
	if st := httpStatus(err); st == http.StatusServiceUnavailable || st == http.StatusTooManyRequests {
		return true
	}
	return strings.Contains(err.Error(), "SlowDown")
}
