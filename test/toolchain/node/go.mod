// The small static programs the end-to-end suite runs on and beside its single node: the pod sandbox (pause),
// a test workload (testapp), a password-protected in-memory OCI registry (registry), the relay that makes
// the API server reachable from the pods' network namespace (netns-forward), and the servers that consume
// the credentials the product distributes (git-https, tls-serve, oauth2-token).
module centralsecretstore.local/test/toolchain/node

go 1.25.0

require (
	github.com/google/go-containerregistry v0.22.1
	golang.org/x/sys v0.47.0
)

require (
	github.com/docker/cli v29.7.2+incompatible // indirect
	github.com/docker/docker-credential-helpers v0.9.3 // indirect
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
	github.com/sirupsen/logrus v1.9.4 // indirect
	golang.org/x/sync v0.22.0 // indirect
	gotest.tools/v3 v3.5.2 // indirect
)
