#!/usr/bin/env bash
# The run command: transcribes one local audio file end to end through the real pipeline
# (S3 upload, S3 notification, TranscribeFunction under the Lambda Java runtime, Deepgram,
# transcript in S3), on a local AWS emulator unless --aws is given.
#   DEEPGRAM_API_KEY=... scripts/transcribe.sh AUDIO_FILE [options]     (options: --help)
#   scripts/transcribe.sh AUDIO_FILE --stand-in                          (no Deepgram account needed)
exec "$(dirname "$0")/deepgram-lambda" run "$@"
