"""Every caption file the renderer wrote for the recorded Deepgram responses parses with independent parsers.

FixtureCaptionsTest (JUnit, functions/transcribe) writes them to functions/transcribe/target/captions/;
scripts/test.sh runs this file after Maven. `srt` (strict SubRip parser) and `webvtt-py` are pinned in
requirements-dev.txt. Checks: the file parses, cue timings are monotonic, do not overlap, and end within
the audio's duration (metadata.duration of the response the file was made from).
"""
import json
import re
from pathlib import Path

import pytest
import srt
import webvtt

ROOT = Path(__file__).resolve().parents[2]
CAPTIONS = ROOT / "functions/transcribe/target/captions"
RESPONSES = ROOT / "functions/stand-ins/src/main/resources/deepgram"
# The exact timing line each format requires; parsers are lenient (srt accepts "." in SRT, webvtt-py skips bad lines).
TIMING = {".srt": re.compile(r"^\d{2,}:[0-5]\d:[0-5]\d,\d{3} --> \d{2,}:[0-5]\d:[0-5]\d,\d{3}$"),
          ".vtt": re.compile(r"^\d{2,}:[0-5]\d:[0-5]\d\.\d{3} --> \d{2,}:[0-5]\d:[0-5]\d\.\d{3}$")}
FILES = sorted(CAPTIONS.glob("*.srt")) + sorted(CAPTIONS.glob("*.vtt"))


def audio_seconds(caption_file: Path) -> float:
    fixture = caption_file.stem.removesuffix(".no-utterances").removesuffix(".no-words")
    return json.loads((RESPONSES / f"{fixture}.json").read_text(encoding="utf-8"))["metadata"]["duration"]


def cue_times(caption_file: Path) -> list[tuple[float, float]]:
    if caption_file.suffix == ".srt":
        subtitles = list(srt.parse(caption_file.read_text(encoding="utf-8"), ignore_errors=False))
        assert [s.index for s in subtitles] == list(range(1, len(subtitles) + 1)), "SRT blocks are numbered 1, 2, 3, ..."
        assert all(s.content.strip() for s in subtitles), "no SRT block is empty"
        return [(s.start.total_seconds(), s.end.total_seconds()) for s in subtitles]
    captions = webvtt.read(str(caption_file))
    assert all(c.text.strip() for c in captions), "no WebVTT cue is empty"
    return [(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000) for c in captions]


def test_the_junit_suite_wrote_captions_for_every_fixture():
    assert len(FILES) >= 14, f"expected the SRT and WebVTT files of 7 fixtures in {CAPTIONS}: run the Maven tests first"


@pytest.mark.parametrize("caption_file", FILES, ids=[f.name for f in FILES])
def test_caption_file_parses_and_its_cues_are_ordered_apart_and_within_the_audio(caption_file: Path):
    text = caption_file.read_bytes().decode("utf-8")  # strict: not UTF-8 fails here
    arrows = [line for line in text.split("\n") if "-->" in line]
    assert all(TIMING[caption_file.suffix].match(line) for line in arrows), arrows
    times = cue_times(caption_file)
    assert len(times) == len(arrows), "the parser read every cue in the file"
    assert bool(times) != caption_file.stem.endswith(".no-words"), "speech gives cues, no words gives a file without cues"
    duration = audio_seconds(caption_file)
    for (start, end), following in zip(times, times[1:] + [None]):
        assert 0 <= start < end <= duration, (start, end, duration)
        if following:
            assert end < following[0], f"cue ending at {end} overlaps or touches the next at {following[0]}"
