from app.settings import load

print(load())
