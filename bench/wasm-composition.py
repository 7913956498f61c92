#!/usr/bin/env python3
"""What makes the browser bundle large: code bytes per crate and per function.

Reads a wasm file that still has its name section (the one rustc writes, before
wasm-bindgen and wasm-opt strip it):

    RUSTFLAGS="--cfg erase_components" \
        cargo build -p frontend --profile wasm-release --target wasm32-unknown-unknown
    bench/wasm-composition.py $CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm

Prints the code size by crate (the first path segment of each function's demangled
name, generic functions counted under the crate that defines them), by `app` module
(`app::features::<name>`), and the largest functions. Sizes are raw bytes before
compression; the ratios between crates hold after Brotli within a few percent.
"""

import re
import sys
from collections import Counter


def leb(data, pos):
    """An unsigned LEB128 at `pos`: (value, next position)."""
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, pos = leb(data, pos + 1)
        yield sid, data[pos:pos + size]
        pos += size


def imported_functions(body):
    count, pos = leb(body, 0)
    funcs = 0
    for _ in range(count):
        for _ in range(2):  # module, field
            n, pos = leb(body, pos)
            pos += n
        kind = body[pos]
        pos += 1
        if kind == 0:
            _, pos = leb(body, pos)
            funcs += 1
        elif kind == 1:  # table: reftype + limits
            pos += 1
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 3:  # global: type + mutability
            pos += 2
    return funcs


def code_sizes(body):
    count, pos = leb(body, 0)
    sizes = []
    for _ in range(count):
        size, pos = leb(body, pos)
        sizes.append(size)
        pos += size
    return sizes


def function_names(body):
    names = {}
    pos = 0
    while pos < len(body):
        kind = body[pos]
        size, pos = leb(body, pos + 1)
        if kind == 1:
            sub = body[pos:pos + size]
            count, p = leb(sub, 0)
            for _ in range(count):
                index, p = leb(sub, p)
                n, p = leb(sub, p)
                names[index] = sub[p:p + n].decode("utf-8", "replace")
                p += n
        pos += size
    return names


def demangle(name):
    """Legacy Rust mangling (`_ZN...17h<hash>E`) to a path; other names as they are."""
    if not name.startswith("_ZN"):
        return name
    pos, parts = 3, []
    while pos < len(name) and name[pos].isdigit():
        m = re.match(r"\d+", name[pos:])
        n = int(m.group())
        pos += len(m.group())
        parts.append(name[pos:pos + n])
        pos += n
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    text = "::".join(parts)
    for code, char in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"),
                       ("$C$", ","), ("$u7b$", "{"), ("$u7d$", "}"), ("..", "::"),
                       ("$u27$", "'"), ("$u5b$", "["), ("$u5d$", "]"), ("$BP$", "*")):
        text = text.replace(code, char)
    return text


def crate_of(path):
    """The crate of a function's path; for `<Type as Trait>::f` the type's crate, or the
    trait's when the type is a generic parameter or a primitive."""
    path = path.removeprefix("_")
    if path.startswith("<") and " as " in path:
        ty, trait = path[1:].split(" as ", 1)
        ty = ty.lstrip("&* ").removeprefix("mut ").removeprefix("dyn ")
        path = trait if re.fullmatch(r"[A-Z]|[a-z0-9]+|\[.*|\(.*", ty.split("<")[0]) else ty
    path = path.lstrip("<&* ").removeprefix("dyn ").removeprefix("impl ")
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", path)
    return m.group() if m else path[:20]


def module_of(path):
    path = path.removeprefix("_").lstrip("<&* ")
    m = re.match(r"app::(features::[a-z_]+|[a-z_]+)", path)
    return m.group(1) if m else None


def main():
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    imported, sizes, names = 0, [], {}
    for sid, body in sections(data):
        if sid == 2:
            imported = imported_functions(body)
        elif sid == 10:
            sizes = code_sizes(body)
        elif sid == 0:
            n, p = leb(body, 0)
            if body[p:p + n] == b"name":
                names = function_names(body[p + n:])
    total = sum(sizes)
    crates, modules, functions = Counter(), Counter(), []
    for i, size in enumerate(sizes):
        path = demangle(names.get(imported + i, f"function[{i}]"))
        crates[crate_of(path)] += size
        module = module_of(path)
        if module:
            modules[module] += size
        functions.append((size, path))
    print(f"{len(data):>10,} bytes in the file, {total:,} of code in {len(sizes):,} functions")
    print("\nby crate")
    for crate, size in crates.most_common(top):
        print(f"{size:>10,}  {100 * size / total:5.1f} %  {crate}")
    print("\nby app module")
    for module, size in modules.most_common(top):
        print(f"{size:>10,}  {100 * size / total:5.1f} %  {module}")
    print("\nlargest functions")
    for size, path in sorted(functions, reverse=True)[:top]:
        print(f"{size:>10,}  {path[:150]}")


if __name__ == "__main__":
    main()
