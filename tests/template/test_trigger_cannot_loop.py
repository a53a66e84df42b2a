"""The S3 triggers fire for uploads under the input prefix and for Deepgram's callback results, and
never for what the function writes under the output prefix or as callback job state, for the
defaults and for every value the parameters accept."""

import itertools
import json
import re
from urllib.parse import unquote_plus

from conftest import ROOT, is_ref


def s3_events(main):
    events = main["Resources"]["TranscribeFunction"]["Properties"]["Events"]
    return {name: e["Properties"] for name, e in events.items() if e["Type"] == "S3"}


def prefix_rule(event):
    assert is_ref(event["Bucket"], "AudioBucket")
    assert event["Events"] == "s3:ObjectCreated:*"
    (rule,) = event["Filter"]["S3Key"]["Rules"]
    assert rule["Name"] == "prefix"
    return rule["Value"]


def test_triggers_are_object_created_filtered_by_the_input_prefix_and_the_callback_results(main):
    events = s3_events(main)
    assert set(events) == {"AudioUploaded", "CallbackResultArrived"}
    assert is_ref(prefix_rule(events["AudioUploaded"]), "InputPrefix")
    # Only results/: the pending records beside them are the function's own writes.
    assert prefix_rule(events["CallbackResultArrived"]) == {"Fn::Sub": "${CallbackPrefix}results/"}


def test_function_writes_under_the_output_prefix_parameter(main):
    env = main["Resources"]["TranscribeFunction"]["Properties"]["Environment"]["Variables"]
    assert is_ref(env["OUTPUT_PREFIX"], "OutputPrefix")
    # Unset, OUTPUT_BUCKET defaults to the source bucket: the same bucket the trigger watches,
    # so the prefixes alone must keep outputs out of the trigger.
    assert "OUTPUT_BUCKET" not in env


def prefix_pattern(main, name):
    return re.compile(main["Parameters"][name]["AllowedPattern"])


def test_defaults_are_incoming_and_transcripts_and_are_accepted(main):
    for name, default in (("InputPrefix", "incoming/"), ("OutputPrefix", "transcripts/")):
        assert main["Parameters"][name]["Default"] == default
        assert prefix_pattern(main, name).fullmatch(default)


def test_prefixes_are_one_non_empty_folder_name(main):
    for name in ("InputPrefix", "OutputPrefix"):
        pattern = prefix_pattern(main, name)
        for rejected in ("", "/", "incoming", "a/b/", "/incoming/", "incoming//", "in coming/"):
            assert not pattern.fullmatch(rejected), f"{name} accepts {rejected!r}"


def test_a_rule_rejects_equal_prefixes(main):
    rule = main["Rules"]["PrefixesDoNotOverlap"]
    pairs = [tuple(ref["Ref"] for ref in a["Assert"]["Fn::Not"][0]["Fn::Equals"]) for a in rule["Assertions"]]
    assert pairs == [("InputPrefix", "OutputPrefix"), ("CallbackPrefix", "InputPrefix"), ("CallbackPrefix", "OutputPrefix")]


def test_no_accepted_callback_prefix_lets_job_state_or_results_match_the_upload_trigger(main):
    """Each prefix is one folder name, and the rule keeps them different: so no key the function or
    Deepgram writes under the callback prefix starts with the input prefix."""
    callback_pattern = prefix_pattern(main, "CallbackPrefix")
    input_pattern = prefix_pattern(main, "InputPrefix")
    candidates = ["".join(chars) for n in range(1, 5) for chars in itertools.product("ab/", repeat=n)]
    for callback_prefix in filter(callback_pattern.fullmatch, candidates):
        for input_prefix in filter(input_pattern.fullmatch, candidates):
            if callback_prefix == input_prefix:
                continue  # the rule
            for written in ("pending/0123.json", "results/0123/1-x.json"):
                assert not f"{callback_prefix}{written}".startswith(input_prefix)


def output_keys(output_prefix, source_key):
    return [f"{output_prefix}{source_key}{suffix}" for suffix in (".json", ".txt", ".error.json")]


def test_no_accepted_pair_of_prefixes_lets_an_output_key_match_the_trigger(main):
    """Exhaustive over short prefixes from a small alphabet plus the separator: every pair the
    parameters and the rule accept. Any output key starts with the output prefix; it must never
    start with the input prefix."""
    input_pattern = prefix_pattern(main, "InputPrefix")
    output_pattern = prefix_pattern(main, "OutputPrefix")
    candidates = ["".join(chars) for n in range(1, 5) for chars in itertools.product("ab/", repeat=n)]
    accepted_inputs = [c for c in candidates if input_pattern.fullmatch(c)]
    accepted_outputs = [c for c in candidates if output_pattern.fullmatch(c)]
    assert accepted_inputs and accepted_outputs

    pairs = [(i, o) for i in accepted_inputs for o in accepted_outputs if i != o]  # the rule
    for input_prefix, output_prefix in pairs:
        for key in output_keys(output_prefix, f"{input_prefix}meeting.wav"):
            assert not key.startswith(input_prefix), (input_prefix, output_prefix, key)


def test_defaults_never_trigger_on_outputs_of_the_sample_upload(main):
    with open(ROOT / "events" / "s3-put.json", encoding="utf-8") as f:
        record = json.load(f)["Records"][0]
    key = unquote_plus(record["s3"]["object"]["key"])
    assert key == "incoming/My Meeting été.wav"

    input_prefix = main["Parameters"]["InputPrefix"]["Default"]
    output_prefix = main["Parameters"]["OutputPrefix"]["Default"]
    assert key.startswith(input_prefix)
    for output in output_keys(output_prefix, key):
        assert not output.startswith(input_prefix)


def test_sample_events_are_the_shapes_s3_sends():
    with open(ROOT / "events" / "s3-put.json", encoding="utf-8") as f:
        put = json.load(f)
    (record,) = put["Records"]
    assert record["eventSource"] == "aws:s3" and record["eventName"].startswith("ObjectCreated:")
    assert "%" in record["s3"]["object"]["key"] and "+" in record["s3"]["object"]["key"]

    with open(ROOT / "events" / "s3-test-event.json", encoding="utf-8") as f:
        test_event = json.load(f)
    assert test_event["Event"] == "s3:TestEvent" and "Records" not in test_event
