"""The family-time.toml `init` writes says whose folder it is: the service's council and the
folder made, not the embedded default's "sample inbox"."""

from __future__ import annotations

import tomllib

from pipeline.cli import main


def test_blackpool_folder_says_it_is_blackpools(tmp_path, capsys):
    folder = tmp_path / "blackpool-work"
    assert main(["init", str(folder), "--profile", "blackpool"]) == 0
    text = (folder / "family-time.toml").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(
        "# The working folder of Blackpool Council's Family Time Service (blackpool-work)"
    )
    assert "embedded default" not in text and "sample inbox" not in text
    assert tomllib.loads(text)["profile"] == "service-profile.toml"  # the folder's own copy
    own = (folder / "service-profile.toml").read_text(encoding="utf-8")
    assert tomllib.loads(own)["id"] == "blackpool"


def test_changing_the_profile_changes_the_comment_and_keeps_a_persons_own(tmp_path, capsys):
    folder = tmp_path / "work"
    assert main(["init", str(folder), "--profile", "blackpool"]) == 0
    assert main(["init", str(folder), "--profile", "milton-keynes", "--force"]) == 0
    text = (folder / "family-time.toml").read_text(encoding="utf-8")
    assert "Milton Keynes City Council's" in text and "Blackpool" not in text
    config = folder / "family-time.toml"
    config.write_text("# Our own note\n" + text.split("\n", 4)[4], encoding="utf-8")
    assert main(["init", str(folder), "--profile", "blackpool", "--force"]) == 0
    assert config.read_text(encoding="utf-8").startswith(
        '# Our own note\nprofile = "service-profile.toml"'
    )
