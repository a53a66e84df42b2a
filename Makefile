# Build targets for `sam build` (BuildMethod: makefile). SAM runs `make build-<LogicalId>` in the
# repository root (build_in_source, see samconfig.toml) with ARTIFACTS_DIR set to the function's
# folder under .aws-sam/build. SAM's own Maven builder cannot build one module of a multi-module
# project, hence this file.
#
# Each target packages one module: its jar plus its runtime dependencies go into
# $(ARTIFACTS_DIR)/lib/, which the Lambda Java runtime puts on the classpath. Tests are skipped
# here because the test command (scripts/test.sh) has already run them; `-am` builds the modules
# the function depends on (core) in the same reactor so no `mvn install` is needed.
#
# Usable outside SAM too: `make build-TranscribeFunction ARTIFACTS_DIR=/tmp/out`.

MVN ?= mvn
MVN_FLAGS ?= -B -q -ntp

ifndef ARTIFACTS_DIR
$(error ARTIFACTS_DIR is not set: run through `sam build`, or pass ARTIFACTS_DIR=<folder>)
endif

.PHONY: build-TranscribeFunction build-CallbackSweepFunction build-HealthCheckFunction build-KeyRotationFunction

build-TranscribeFunction:
	$(call package-module,functions/transcribe)

# The sweep is the transcription code with another handler: the same package.
build-CallbackSweepFunction:
	$(call package-module,functions/transcribe)

build-HealthCheckFunction:
	$(call package-module,functions/health)

build-KeyRotationFunction:
	$(call package-module,functions/key-rotation)

# package-module(module-dir): build the module and what it depends on, then copy the module's jar
# and its runtime-scope dependencies (core included, test-only modules excluded) into lib/.
# copy-dependencies writes into the module's own target/ folder rather than straight into lib/:
# with -am it runs in every reactor module, and the `stand-ins` and `testing` modules' dependencies
# (MockWebServer, Testcontainers) must not end up in the deployment package. The folder is emptied
# first, and old jars removed, so a dependency dropped from the pom or a renamed artifact does not
# linger from an earlier build.
define package-module
	@test -f $(1)/pom.xml || { echo "error: module $(1) is not in this checkout (no $(1)/pom.xml)" >&2; exit 1; }
	rm -rf $(1)/target/lambda-lib $(1)/target/*.jar
	$(MVN) $(MVN_FLAGS) -DskipTests -pl $(1) -am package dependency:copy-dependencies \
	    -DincludeScope=runtime -DoutputDirectory=target/lambda-lib
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(1)/target/lambda-lib/*.jar "$(ARTIFACTS_DIR)/lib/"
	cp $(1)/target/*.jar "$(ARTIFACTS_DIR)/lib/"
endef
