"""Every command the README and docs/ tell a reader to run works from a fresh clone: the scripts and
files it names are in the repository, and nothing points outside it (such as ../shared, which a clone
does not have).

A command here is a line of a code block or an inline code span whose program is one of this
repository's (scripts/..., .ci/run, .venv/bin/...) or a build or test tool run in it (sam, mvn, make,
java, python, cfn-lint). Its arguments that look like paths must exist, except placeholders (<...>,
{...}, $VAR) and what the build itself makes (target/, .aws-sam/, .venv/, which scripts/test.sh and
the CLI launcher create). Commands of the AWS CLI work on a reader's own files and account, so they
are not checked here.
"""

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "alarms" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOOLS = {"sam", "mvn", "make", "java", "python", "python3", "cfn-lint", "bash"}
REPOSITORY_PROGRAMS = ("scripts/", ".ci/", ".venv/bin/")
GENERATED = (".aws-sam/", ".venv/", "target/")
FILE_SUFFIX = re.compile(r"\.(wav|mp3|flac|ogg|m4a|json|ya?ml|toml|sh|md|py|txt|xml|jar)$")
PLACEHOLDER = re.compile(r"[<>{}$*]|\bpath/to\b")
ENV_ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")
FENCE = re.compile(r"^```.*?$(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")


def snippets(text):
    """Code-block lines and inline code spans, in the order they appear."""
    for block in FENCE.findall(text):
        yield from block.splitlines()
    yield from INLINE.findall(FENCE.sub("", text))


def commands(snippet):
    """The simple commands in a snippet, split at &&, ||, ; and |, each as its list of words."""
    try:
        words = shlex.split(snippet.split(" #")[0], comments=False)
    except ValueError:
        return
    command = []
    for word in words + ["&&"]:
        if word in {"&&", "||", ";", "|"}:
            if command:
                yield command
            command = []
        else:
            command.append(word)


def program(words):
    """The command's words from its program on (after NAME=VALUE assignments); empty when it is not ours to check."""
    words = [w for w in words if not ENV_ASSIGNMENT.match(w)]
    if words and (words[0].startswith(REPOSITORY_PROGRAMS) or words[0] in TOOLS):
        return words
    return []


def path_arguments(words):
    """The words of a command that name files in the repository."""
    for word in words:
        if ENV_ASSIGNMENT.match(word):
            word = word.split("=", 1)[1]
        if word.startswith("-"):
            if "=" not in word or word.startswith("-D"):
                continue
            word = word.split("=", 1)[1]
        if "://" in word or PLACEHOLDER.search(word) or word.startswith(GENERATED) or "/target/" in word:
            continue
        if "/" in word or FILE_SUFFIX.search(word):
            yield word


def documented_commands():
    found = []
    for document in DOCUMENTS:
        for snippet in snippets(document.read_text(encoding="utf-8")):
            for words in commands(snippet):
                if program(words):
                    found.append((document.relative_to(ROOT), " ".join(words), program(words)))
    return found


COMMANDS = documented_commands()


def test_the_documents_name_commands_to_check():
    documents = {document for document, _, _ in COMMANDS}
    assert Path("README.md") in documents and Path("docs/run-and-operate.md") in documents
    assert any("scripts/transcribe.sh samples/hello-en.wav" in line for _, line, _ in COMMANDS)


@pytest.mark.parametrize("document,line,words", COMMANDS, ids=[f"{d}: {l}" for d, l, _ in COMMANDS])
def test_every_file_a_documented_command_names_is_in_the_repository(document, line, words):
    files = [words[0]] if words[0].startswith(REPOSITORY_PROGRAMS) else []
    missing = [word for word in files + list(path_arguments(words[1:]))
               if not word.startswith(GENERATED) and not (ROOT / word).exists()]
    assert not missing, f"{document}: `{line}` names {missing}, which a fresh clone does not have"


@pytest.mark.parametrize("document", DOCUMENTS + [ROOT / "scripts", ROOT / "alarms"], ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_outside_the_repository(document):
    files = [document] if document.is_file() else [f for f in document.rglob("*") if f.is_file()]
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        assert "../shared" not in text and "/work/shared" not in text, f"{file.relative_to(ROOT)} points outside the repository"
