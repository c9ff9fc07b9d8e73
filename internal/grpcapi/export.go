package grpcapi

import (
	"context"
	"strings"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/exportjob"
)

// ExportService implements braidv1.ExportServiceServer over the server's
// export jobs.
type ExportService struct {
	braidv1.UnimplementedExportServiceServer
	jobs *exportjob.Manager
}

var _ braidv1.ExportServiceServer = (*ExportService)(nil)

// NewExportService returns the export job service.
func NewExportService(jobs *exportjob.Manager) *ExportService {
	return &ExportService{jobs: jobs}
}

func (s *ExportService) CreateExport(ctx context.Context, req *braidv1.CreateExportRequest) (*braidv1.CreateExportResponse, error) {
	pj := req.GetJob()
	if pj == nil {
		return nil, toStatus(invalidArg("create export: no job"))
	}
	j := exportjob.Job{
		Name: pj.GetName(), Stream: pj.GetScope() + "/" + pj.GetStream(), URL: pj.GetUrl(),
		Endpoint: pj.GetS3Endpoint(), Region: pj.GetS3Region(), PathStyle: pj.GetS3PathStyle(),
		Parallel: int(pj.GetParallel()), Batch: pj.GetBatch(), BatchBytes: int(min(pj.GetBatchBytes(), 1<<31)),
		BatchAge: time.Duration(pj.GetBatchAgeMs()) * time.Millisecond, Start: pj.GetStart(),
	}
	st, err := s.jobs.Create(ctx, j)
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.CreateExportResponse{Export: exportStatus(st)}, nil
}

func (s *ExportService) ListExports(ctx context.Context, _ *braidv1.ListExportsRequest) (*braidv1.ListExportsResponse, error) {
	resp := &braidv1.ListExportsResponse{}
	for _, st := range s.jobs.List() {
		resp.Exports = append(resp.Exports, exportStatus(st))
	}
	return resp, nil
}

func (s *ExportService) GetExport(ctx context.Context, req *braidv1.GetExportRequest) (*braidv1.GetExportResponse, error) {
	st, err := s.jobs.Get(req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.GetExportResponse{Export: exportStatus(st)}, nil
}

func (s *ExportService) StopExport(ctx context.Context, req *braidv1.StopExportRequest) (*braidv1.StopExportResponse, error) {
	st, err := s.jobs.Stop(ctx, req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.StopExportResponse{Export: exportStatus(st)}, nil
}

func (s *ExportService) StartExport(ctx context.Context, req *braidv1.StartExportRequest) (*braidv1.StartExportResponse, error) {
	st, err := s.jobs.Resume(ctx, req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.StartExportResponse{Export: exportStatus(st)}, nil
}

func (s *ExportService) DeleteExport(ctx context.Context, req *braidv1.DeleteExportRequest) (*braidv1.DeleteExportResponse, error) {
	if err := s.jobs.Delete(ctx, req.GetName()); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.DeleteExportResponse{}, nil
}

func exportStatus(st exportjob.Status) *braidv1.ExportStatus {
	j := st.Job
	scope, name, _ := strings.Cut(j.Stream, "/")
	out := &braidv1.ExportStatus{
		Job: &braidv1.ExportJob{
			Name: j.Name, Scope: scope, Stream: name, Url: j.URL,
			S3Endpoint: j.Endpoint, S3Region: j.Region, S3PathStyle: j.PathStyle,
			Parallel: uint32(j.Parallel), Batch: j.Batch, BatchBytes: uint64(j.BatchBytes),
			BatchAgeMs: j.BatchAge.Milliseconds(), Start: j.Start,
		},
		State: st.State, CreatedUnixMs: st.Created.UnixMilli(), Position: st.Position,
		Objects: st.Objects, Bytes: st.Bytes, Existing: st.Existing,
		LagBytes: st.LagBytes, LagMs: st.Lag.Milliseconds(), LagEvents: st.LagEvents,
		LastError: st.LastError, S3Errors: st.S3Errors, S3Throttled: st.S3Throttled,
	}
	if st.Lag < 0 {
		out.LagMs = -1
	}
	if !st.LastErrorAt.IsZero() {
		out.LastErrorUnixMs = st.LastErrorAt.UnixMilli()
	}
	return out
}
