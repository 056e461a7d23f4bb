"""A sweep's files: chunks written as they finish, resume, the Parquet (and CSV) results.

The folder ``DIR`` of ``feasibility sweep SPEC --out DIR`` holds

- ``spec.yaml``: the spec as written;
- ``chunks/``, while the sweep runs: ``manifest.json`` (the spec's fingerprint) and one
  ``chunk-NNNNNN.arrow`` (Arrow IPC) per finished chunk, each written under a temporary name and moved
  into place when complete. A rerun of an interrupted sweep skips the chunks already there,
  and refuses when the spec or its scenario changed (unless ``fresh``);
- ``results.parquet``: one row per variant — ``variant``, each input by its dotted path in
  its base unit (CNY, fractions, months; ``run --set PATH=VALUE`` reproduces the row), each
  metric — written in variant order as the chunks finish (a chunk that finishes early waits
  in memory for its turn; at most the chunks in flight), so memory stays bounded;
- ``results.csv``: the same, when there are at most :data:`CSV_LIMIT` variants or ``csv=True``
  (text cells that start with = + - @ are neutralised; numbers stay numbers);
- ``sweep.json``: the finished sweep's fingerprint, variant count, time and metric summary.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.feather as feather
import pyarrow.parquet as pq
import yaml

from ..inputs.errors import InputError, ScenarioError
from ..inputs.saving import save_scenario
from ..risk.parallel import run_chunks
from ..risk.spec import Spec
from ..risk.sweep import CHUNK_VARIANTS, Plan, make_plan, metric_summary, pick_variants

RESULTS, RESULTS_CSV, SPEC_COPY, CHUNKS, MANIFEST, SUMMARY = (
    "results.parquet", "results.csv", "spec.yaml", "chunks", "manifest.json", "sweep.json")
CSV_LIMIT = 100_000
FORMAT = 2  # bump when the chunk files' meaning changes: old chunks are then not reused
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PICKS = ("worst", "best")


def csv_text(value: object) -> object:
    """A text cell made safe for spreadsheets: one starting with = + - @ (a formula) gets a leading '.

    Numbers are returned unchanged.
    """
    return "'" + value if isinstance(value, str) and value.startswith(CSV_TRIGGERS) else value


def csv_safe_table(table: pa.Table) -> pa.Table:
    """``table`` with every text cell made safe by :func:`csv_text` (numbers untouched)."""
    for i, column in enumerate(table.schema):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            values = table.column(i)
            formula = pc.match_substring_regex(values, r"^[=+\-@\t\r]")
            safe = pc.if_else(formula, pc.binary_join_element_wise("'", values, ""), values)
            table = table.set_column(i, column.name, safe)
    return table


def fingerprint(spec: Spec, plan: Plan) -> str:
    """What must not change for chunks to be reused: the spec, its scenario files, the chunking."""
    digest = hashlib.sha256(f"format {FORMAT}; chunk {plan.chunk_variants}; variants {plan.variants}\n".encode())
    digest.update(spec.text.encode("utf-8"))
    for path in (spec.scenario.file, *spec.scenario.chain):
        digest.update(b"\0" + Path(path).read_bytes())
    return digest.hexdigest()


def to_table(columns: dict) -> pa.Table:
    """One chunk's columns as an Arrow table (NaN metrics as nulls)."""
    return pa.table({name: pa.array(values, from_pandas=True) for name, values in columns.items()})


@dataclass
class SweepRun:
    """A finished sweep: where its files are, how many variants, how long, each metric's summary."""

    spec: Spec
    out: Path
    variants: int
    seconds: float
    metrics: dict
    chunks: int
    reused_chunks: int
    files: list[Path] = field(default_factory=list)

    def to_json(self) -> dict:
        """``sweep --json``: {variants, seconds, out, metrics: {NAME: {mean, p5, p50, p95}}} and the chunk counts."""
        return {"variants": self.variants, "seconds": round(self.seconds, 3), "out": str(self.out),
                "metrics": self.metrics, "chunks": {"total": self.chunks, "reused": self.reused_chunks}}

    def table(self, columns: Sequence[str] | None = None):
        """The results as a pandas DataFrame (all columns, or ``columns``)."""
        return pq.read_table(self.out / RESULTS, columns=list(columns) if columns else None).to_pandas()


class SweepFolder:
    """The files of one sweep folder (see the module docstring)."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.chunks = self.out / CHUNKS

    def chunk_path(self, chunk: int) -> Path:
        return self.chunks / f"chunk-{chunk:06d}.arrow"

    def _refuse(self, spec: Spec, what: str) -> ScenarioError:
        return ScenarioError([InputError(spec.file, "(spec)", f"differs from the {what} in {self.out} (the spec or "
                                         "its scenario changed): rerun with --fresh to start again, or choose "
                                         "another --out", show=False)])

    def finished(self, spec: Spec, mark: str) -> dict | None:
        """The summary of a finished sweep of the same spec in this folder, if there is one."""
        try:
            summary = json.loads((self.out / SUMMARY).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not (self.out / RESULTS).is_file():
            return None
        if summary.get("fingerprint") != mark:
            raise self._refuse(spec, "finished sweep")
        return summary

    def prepare(self, spec: Spec, plan: Plan, mark: str, fresh: bool) -> set[int]:
        """Make the folder ready; the chunks already done (a resumed sweep), else none."""
        if fresh:
            shutil.rmtree(self.chunks, ignore_errors=True)
            for name in (RESULTS, RESULTS_CSV, SUMMARY):
                (self.out / name).unlink(missing_ok=True)
        self.out.mkdir(parents=True, exist_ok=True)
        manifest = self.chunks / MANIFEST
        if manifest.is_file():
            try:
                found = json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint")
            except ValueError:
                found = None
            if found != mark:
                raise self._refuse(spec, "interrupted sweep")
        elif (self.out / SUMMARY).is_file() or (self.out / RESULTS).is_file():
            self.finished(spec, mark)  # refuses another spec's results; the same spec's are redone
        self.chunks.mkdir(exist_ok=True)
        for stale in self.chunks.glob("*.tmp"):
            stale.unlink(missing_ok=True)
        if not manifest.is_file():
            _write_text(manifest, json.dumps({"fingerprint": mark, "variants": plan.variants,
                                              "chunks": plan.chunks, "chunk_variants": plan.chunk_variants}))
        _write_text(self.out / SPEC_COPY, spec.text)
        done = set()
        for k in range(plan.chunks):
            path = self.chunk_path(k)
            if path.is_file():
                start, stop = plan.bounds(k)
                try:
                    if feather.read_table(path, memory_map=True).num_rows == stop - start:
                        done.add(k)
                except (OSError, pa.ArrowException):
                    path.unlink(missing_ok=True)
        return done

    def write_chunk(self, chunk: int, table: pa.Table) -> None:
        path = self.chunk_path(chunk)
        temporary = path.with_name(path.name + ".tmp")
        feather.write_feather(table, temporary, compression="uncompressed")  # Arrow IPC: written at memory speed
        os.replace(temporary, path)

    def finish(self) -> None:
        """The sweep is complete: its chunks are no longer needed."""
        shutil.rmtree(self.chunks, ignore_errors=True)

    def summary(self, metrics: Sequence[str]) -> dict:
        """mean, p5, p50, p95 of each metric, read one column at a time."""
        results = pq.ParquetFile(self.out / RESULTS)
        return {name: metric_summary(name, results.read(columns=[name]).column(0).to_numpy(zero_copy_only=False))
                for name in metrics}


class ResultsWriter:
    """results.parquet (and results.csv) written in variant order while the chunks finish.

    A chunk that finishes before an earlier one waits in memory (at most the chunks in flight);
    chunks done by an earlier, interrupted run are read back from their files in turn. The
    files are written under temporary names and moved into place by :meth:`close`.
    """

    def __init__(self, folder: SweepFolder, plan: Plan, done: set[int], csv: bool):
        self.folder, self.plan, self.done = folder, plan, done
        self.paths = [folder.out / RESULTS] + ([folder.out / RESULTS_CSV] if csv else [])
        self.temporary = [p.with_name(p.name + ".tmp") for p in self.paths]
        self.waiting: dict[int, pa.Table] = {}
        self.next = 0
        self.parquet = self.csv = None

    def add(self, chunk: int, table: pa.Table | None = None) -> None:
        if table is not None:
            self.waiting[chunk] = table
        while self.next < self.plan.chunks and (self.next in self.waiting or self.next in self.done):
            ready = self.waiting.pop(self.next, None)
            self._write(ready if ready is not None else feather.read_table(self.folder.chunk_path(self.next)))
            self.next += 1

    def _write(self, table: pa.Table) -> None:
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.temporary[0], table.schema)
            if len(self.paths) > 1:
                self.csv = pcsv.CSVWriter(str(self.temporary[1]), csv_safe_table(table).schema)
        table = table.cast(self.parquet.schema)
        self.parquet.write_table(table)
        if self.csv is not None:
            self.csv.write_table(csv_safe_table(table))

    def abort(self) -> None:
        for writer in (self.parquet, self.csv):
            if writer is not None:
                writer.close()
        for path in self.temporary:
            path.unlink(missing_ok=True)

    def close(self) -> list[Path]:
        self.add(self.plan.chunks)  # the chunks an earlier run left, if they come last
        if self.next != self.plan.chunks:
            raise RuntimeError(f"the sweep wrote {self.next} of {self.plan.chunks} chunks")
        for writer in (self.parquet, self.csv):
            if writer is not None:
                writer.close()
        for source, target in zip(self.temporary, self.paths):
            os.replace(source, target)
        if len(self.paths) == 1:
            (self.folder.out / RESULTS_CSV).unlink(missing_ok=True)
        return self.paths


class _Progress:
    """A tqdm bar of variants on a terminal; nothing otherwise."""

    def __init__(self, total: int, done: int, stream: TextIO | None):
        stream = stream or sys.stderr
        self.bar = None
        if stream.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, initial=done, unit="variant", unit_scale=True, file=stream, desc="sweep")

    def update(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_sweep(spec: Spec, out: str | Path, *, scheduler: str | None = None, fresh: bool = False,
              csv: bool | None = None, workers: int | None = None, chunk_variants: int = CHUNK_VARIANTS,
              stream: TextIO | None = None, on_chunk=None) -> SweepRun:
    """Run the sweep of ``spec`` into the folder ``out`` (see the module docstring) and summarise it.

    ``scheduler`` is a Dask scheduler address (``tcp://HOST:PORT``); without it the chunks run in
    ``workers`` processes here (default: the cores). ``csv`` forces results.csv on (True) or off
    (False); by default it is written up to :data:`CSV_LIMIT` variants. ``on_chunk(chunk)`` is
    called after each chunk is written (tests use it to interrupt a run).
    """
    started = time.perf_counter()
    plan = make_plan(spec, chunk_variants)
    folder = SweepFolder(out)
    mark = fingerprint(spec, plan)
    write_csv = plan.variants <= CSV_LIMIT if csv is None else csv
    previous = None if fresh or (folder.chunks / MANIFEST).is_file() else folder.finished(spec, mark)
    if previous is not None and (not write_csv or (folder.out / RESULTS_CSV).is_file()):
        return SweepRun(spec, folder.out, previous["variants"], time.perf_counter() - started, previous["metrics"],
                        previous["chunks"], previous["chunks"], [folder.out / RESULTS])
    done = folder.prepare(spec, plan, mark, fresh)
    progress = _Progress(plan.variants, sum(plan.bounds(k)[1] - plan.bounds(k)[0] for k in done), stream)
    results = ResultsWriter(folder, plan, done, write_csv)
    try:
        results.add(0)  # what an earlier run left, up to the first missing chunk
        for chunk, columns in run_chunks(plan, [k for k in range(plan.chunks) if k not in done], scheduler, workers):
            table = to_table(columns)
            folder.write_chunk(chunk, table)
            results.add(chunk, table)
            progress.update(table.num_rows)
            if on_chunk is not None:
                on_chunk(chunk)
        files = results.close()
    except BaseException:
        results.abort()
        raise
    finally:
        progress.close()
    folder.finish()
    metrics = folder.summary(plan.metrics)
    seconds = time.perf_counter() - started
    _write_text(folder.out / SUMMARY, json.dumps({"fingerprint": mark, "variants": plan.variants, "chunks": plan.chunks,
                                                  "seconds": seconds, "metrics": metrics}, indent=1))
    return SweepRun(spec, folder.out, plan.variants, seconds, metrics, plan.chunks, len(done), files)


def parse_picks(text: str) -> tuple[str, ...]:
    """``"p5,p50,p95"``, ``"worst"``, ``"best"`` (or a mix) → the picks; an InputError names ``--pick``."""
    picks = tuple(p.strip() for p in str(text).split(",") if p.strip())
    for pick in picks:
        number = pick[1:]
        if pick not in PICKS and not (pick.startswith("p") and number.replace(".", "", 1).isdigit()
                                      and 0 <= float(number) <= 100):
            raise ScenarioError([InputError("--pick", pick or "(empty)", "must be percentiles of NPV such as "
                                            "p5,p50,p95, or worst, or best", text)])
    if not picks:
        raise ScenarioError([InputError("--pick", "(empty)", "must name at least one pick", text)])
    return picks


def emit_scenarios(run: SweepRun, picks: Sequence[str], folder: str | Path | None = None) -> dict[str, Path]:
    """Write the variants at ``picks`` (NPV percentiles, or worst/best) as scenario files that
    ``extends:`` the sweep's scenario, in ``folder`` (default ``OUT/scenarios``); pick → path."""
    spec = run.spec
    if "npv" not in spec.metrics:
        raise ScenarioError([InputError(spec.file, "metrics", "must include npv to pick variants by NPV",
                                        list(spec.metrics))])
    table = pq.read_table(run.out / RESULTS, columns=["variant", *spec.paths, "npv"]).to_pandas()
    folder = Path(folder) if folder else run.out / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    stem = Path(spec.file).stem
    written = {}
    for pick, row in pick_variants(table["npv"].to_numpy(dtype=float), picks).items():
        variant = int(table["variant"].iloc[row])
        changes = {path: _file_value(table[path].iloc[row]) for path in spec.paths}  # per column: dtypes kept
        described = ", ".join(f"{p} = {v}" for p, v in changes.items())
        changes["description"] = f"Variant {variant} of the sweep {stem} ({spec.design}), at NPV {pick}: {described}."
        written[pick] = save_scenario(folder, f"{stem}_{pick}.yaml", spec.scenario, changes,
                                      name=f"{spec.scenario.name} — sweep {stem} {pick}",
                                      note=f"sweep {stem}, variant {variant} (NPV {pick})",
                                      overwrite=True)
    return written


def _file_value(value: object) -> object:
    """A results cell as a scenario file writes it (``[a, b]`` text back to a list; NaN to none)."""
    if isinstance(value, str) and value.startswith("["):
        return yaml.safe_load(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    return value


def _write_text(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


__all__ = ["RESULTS", "RESULTS_CSV", "SPEC_COPY", "CHUNKS", "SUMMARY", "CSV_LIMIT", "csv_text", "csv_safe_table",
           "fingerprint",
           "to_table", "SweepRun", "SweepFolder", "ResultsWriter", "run_sweep", "parse_picks", "emit_scenarios"]
