import argparse


def count(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text.count("\n"), len(text.split())


def main(argv=None):
    parser = argparse.ArgumentParser(description="count lines and words")
    parser.add_argument("path")
    args = parser.parse_args(argv)
    lines, words = count(args.path)
    print(f"{lines} {words} {args.path}")


if __name__ == "__main__":
    main()
