import configparser
from pathlib import Path

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    pass


def load(path=Path(__file__).with_name("config.ini")):
    cp = configparser.ConfigParser()
    if not cp.read(path):
        raise ConfigError(f"{path}: missing")
    try:
        port = cp.getint("server", "port")
        timeout = cp.getint("server", "timeout")
        level = cp.get("logging", "level")
    except (configparser.Error, ValueError) as exc:
        raise ConfigError(str(exc)) from exc
    if not 1 <= port <= 65535:
        raise ConfigError(f"port {port} out of range")
    if level not in LEVELS:
        raise ConfigError(f"unknown log level {level}")
    return {"host": cp.get("server", "host"), "port": port, "timeout": timeout, "level": level}
