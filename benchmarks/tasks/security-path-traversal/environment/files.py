import os


def safe_path(root, user_path):
    """Absolute path of user_path under root; ValueError if it escapes root."""
    if user_path.startswith(".."):
        raise ValueError("path escapes root")
    return os.path.join(os.path.abspath(root), user_path)
