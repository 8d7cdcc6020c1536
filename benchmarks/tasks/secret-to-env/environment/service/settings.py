API_TOKEN = "demo-token-not-a-secret-0000"


def api_token():
    return API_TOKEN
