"""Make initiatives/maps/world.svg: pygal_maps_world's map with lighter outlines.

The packaged map draws coastlines with Bézier curves to a hundredth of a unit (778 KB); at the size
the portal shows it, straight segments between points at least 1.5 units apart, on whole units,
look the same. Islands smaller than that are dropped, except when they are all a country has
(Mauritius, the Maldives...), so that every country can still be shaded and clicked.

    .venv/bin/python scripts/simplify_world_map.py      # rerun only when pygal_maps_world changes
"""

import math
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pygal_maps_world

SOURCE = Path(pygal_maps_world.__file__).parent / "worldmap.svg"
TARGET = Path(__file__).resolve().parent.parent / "initiatives" / "maps" / "world.svg"
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
COMMAND = re.compile(r"[MmLlHhVvCcSsQqTtZz]")
ARGUMENTS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "z": 0}
MIN_STEP = 1.5
SVG = "http://www.w3.org/2000/svg"


def subpaths(d):
    """The outline's rings as lists of absolute points (curve end points only)."""
    rings, ring = [], []
    x = y = start_x = start_y = 0.0
    tokens = re.findall(rf"{COMMAND.pattern}|{NUMBER.pattern}", d)
    command, index = None, 0
    while index < len(tokens):
        token = tokens[index]
        if COMMAND.fullmatch(token):
            command = token
            index += 1
            if command in "zZ":
                if ring:
                    rings.append(ring)
                ring, x, y = [], start_x, start_y
                continue
        count = ARGUMENTS[command.lower()]
        values = [float(value) for value in tokens[index : index + count]]
        index += count
        relative = command.islower()
        if command.lower() == "h":
            x = x + values[0] if relative else values[0]
        elif command.lower() == "v":
            y = y + values[0] if relative else values[0]
        else:
            end_x, end_y = values[-2], values[-1]
            x, y = (x + end_x, y + end_y) if relative else (end_x, end_y)
        if command in "mM":
            if ring:
                rings.append(ring)
            ring, start_x, start_y = [], x, y
            command = "l" if relative else "L"  # further pairs after a move are lines
        ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def decimate(ring):
    kept = [ring[0]]
    for point in ring[1:]:
        if math.dist(point, kept[-1]) >= MIN_STEP:
            kept.append(point)
    return kept


def extent(ring):
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def outline(rings):
    return " ".join(
        "M" + " L".join(f"{round(x)} {round(y)}" for x, y in ring) + " Z" for ring in rings if len(ring) >= 3
    )


def main():
    ElementTree.register_namespace("", SVG)
    tree = ElementTree.parse(SOURCE)
    for group in tree.getroot().iter(f"{{{SVG}}}g"):
        paths = group.findall(f"{{{SVG}}}path")
        if not paths:
            continue
        rings = [ring for path in paths for ring in subpaths(path.get("d"))]
        visible = [decimate(ring) for ring in rings if extent(ring) >= MIN_STEP * 2]
        if not any(len(ring) >= 3 for ring in visible):  # a small island state: keep its largest ring
            largest = max(rings, key=extent)
            visible = [largest if len(decimate(largest)) < 3 else decimate(largest)]
        for path in paths[1:]:
            group.remove(path)
        paths[0].set("d", outline(visible) or outline([max(rings, key=extent)]))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    tree.write(TARGET, encoding="unicode", xml_declaration=False)
    print(f"{SOURCE.stat().st_size / 1024:.0f} KB -> {TARGET.stat().st_size / 1024:.0f} KB: {TARGET}")


if __name__ == "__main__":
    main()
