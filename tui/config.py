"""The user's config.toml (in the config folder): a keymap of binding id -> keys.

    [keymap]
    "annotate.tag" = "T"
    "suggest.accept" = "a,enter"
"""

from __future__ import annotations

from annotations import paths

CONFIG_FILENAME = "config.toml"


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names it."""


def load_config() -> dict:
    path = paths.config_dir() / CONFIG_FILENAME
    if not path.exists():
        return {}
    import tomllib  # only when there is a config file: keeps start-up light

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from None
    except ValueError as error:  # tomllib.TOMLDecodeError, or bytes that are not UTF-8
        raise ConfigError(f"{path}: not valid TOML ({error}); using the default keys") from None


def load_keymap() -> dict[str, str]:
    keymap = load_config().get("keymap", {})
    if not isinstance(keymap, dict):
        return {}
    return {str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}
