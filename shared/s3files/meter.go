package s3files

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/cost"
)

// requestUsage is what one request to the bucket is billed as: S3 prices
// PUT, COPY, POST and LIST requests at one rate and GET and the others at
// another, and DELETE is free. The bytes a PUT stores are counted with it;
// those a browser uploads through a presigned form are counted where the
// upload is recorded (shared/evidence), since the application never sees
// them pass. A presigned form or link is counted when it is made, as the
// one request it allows.
func requestUsage(method string, body []byte) cost.Usage {
	switch method {
	case http.MethodPut, http.MethodPost:
		return cost.Usage{S3Puts: 1, S3Bytes: int64(len(body))}
	case http.MethodDelete:
		return cost.Usage{}
	}
	return cost.Usage{S3Gets: 1}
}
