#!/usr/bin/env python3
"""Writes the deep check's bundled clip: one second of a quiet 440 Hz tone, 16 kHz, mono, 16-bit PCM.

Generated rather than recorded so it carries no speech, no personal data and no licence. The output
is deterministic, so re-running this script reproduces the committed file byte for byte.
Usage: python3 tools/make_deep_check_clip.py src/main/resources/deep-check/one-second-tone.wav
"""
import math
import struct
import sys
import wave

RATE = 16_000
SECONDS = 1
FREQUENCY = 440.0
AMPLITUDE = 3_000  # about -21 dBFS: clearly audio, far from clipping


def main(path: str) -> None:
    frames = b"".join(
        struct.pack("<h", round(AMPLITUDE * math.sin(2 * math.pi * FREQUENCY * n / RATE)))
        for n in range(RATE * SECONDS)
    )
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


if __name__ == "__main__":
    main(sys.argv[1])
