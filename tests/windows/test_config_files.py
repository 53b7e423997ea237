"""family-time.toml edited in Notepad on Windows: a BOM, an ANSI file, backslashes in double
quotes."""

from __future__ import annotations

import pytest

from pipeline.config import ConfigError, load_config

BASE = 'profile = "northamptonshire"\n'


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "family-time.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (BASE + "inbox = 'D:\\new\\inbox'\n").encode("utf-8"))
    config = load_config(path)
    assert str(config.inbox) == "D:\\new\\inbox"


def test_a_file_saved_as_ansi_is_a_clear_config_error(tmp_path):
    path = tmp_path / "family-time.toml"
    path.write_bytes((BASE + "# Équipe Family Time\n").encode("cp1252"))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "not saved as UTF-8" in str(err.value)
    assert "Save As" in str(err.value)


def test_backslashes_in_double_quotes_are_refused_with_the_single_quote_hint(tmp_path):
    path = tmp_path / "family-time.toml"
    path.write_text(BASE + 'inbox = "D:\\new\\temp"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert "inbox" in message and "control character" in message
    assert "single quotes" in message


def test_a_control_character_in_a_watch_setting_is_refused_too(tmp_path):
    path = tmp_path / "family-time.toml"
    path.write_text(BASE + '[watch]\nlog_file = "C:\\new\\table.log"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "watch.log_file" in str(err.value)


def test_windows_paths_in_single_quotes_and_unc_paths_load(tmp_path):
    path = tmp_path / "family-time.toml"
    path.write_text(
        BASE + "inbox = '\\\\fileserver\\FamilyTime\\inbox'\n"
        "state = 'C:\\ProgramData\\FamilyTime\\state'\n"
        "[watch]\nlog_file = 'C:\\ProgramData\\FamilyTime\\logs\\watch.log'\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert str(config.inbox) == "\\\\fileserver\\FamilyTime\\inbox"
    assert str(config.watch.log_file).endswith("watch.log")


def test_an_unknown_escape_in_double_quotes_gets_the_single_quote_hint(tmp_path):
    path = tmp_path / "family-time.toml"
    path.write_text(BASE + 'inbox = "D:\\inbox\\referrals"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "single quotes" in str(err.value)
