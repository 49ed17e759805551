// Go's own time.ParseDuration and Duration.String, for the tests of the catalogue's duration handling.
module centralsecretstore.local/test/toolchain/go-duration

go 1.24
