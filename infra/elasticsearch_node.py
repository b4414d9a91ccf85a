"""Build and launch a real single-node Elasticsearch 8.x assembled from Maven Central jars.

Elastic publishes only the server, ``transport-netty4`` and the test framework to Maven
Central; ``infra/elasticsearch`` holds a pom that pulls them (plus their transitive
dependencies) and a small Java launcher + plugin that stands in for the unpublished
modules (``GET /``, language analyzers, common token filters).  See
``infra/elasticsearch/README.md``.

Stdlib only::

    from infra.elasticsearch_node import build, command
    cache = build(Path(".cache"))                       # mvn (first run only) + javac
    proc = subprocess.Popen(command(cache, Path("/tmp/es-data")))
    ...                                                 # wait for http://127.0.0.1:9200/_cluster/health
    proc.terminate(); proc.wait(30)                     # SIGTERM -> clean node shutdown

Data layout under ``data_dir``: ``config/`` (log4j2.properties, rewritten at each start),
``data/`` (indices, node lock), ``logs/newsflow.log`` (the node's log).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "DEFAULT_HEAP_MB",
    "DEFAULT_HTTP_PORT",
    "DEFAULT_TRANSPORT_PORT",
    "ES_VERSION",
    "MAIN_CLASS",
    "build",
    "command",
    "find_java",
]

#: Newest 8.x whose server, transport-netty4 and test framework are all on Maven Central
#: (8.19.7 lacks transport-netty4 there). 8.x is compiled for Java 17; 9.x needs Java 21.
#: Must match <es.version> in infra/elasticsearch/pom.xml.
ES_VERSION = "8.19.21"

DEFAULT_HTTP_PORT = 9200
DEFAULT_TRANSPORT_PORT = 9300

#: Heap (-Xms = -Xmx, as Elastic recommends). 512 MB is plenty for the 100k-article
#: benchmark: Lucene keeps postings, doc values (terms/date_histogram aggregations) and
#: stored fields off-heap in mmapped files served from the OS page cache, so the heap
#: only carries the indexing buffer (10% = ~51 MB), query/request caches, per-request
#: state (a bulk of a few MB, aggregation buckets) and ~100 MB of node baseline.
#: Raise it for very large bulks (> 50 MB each) or huge `terms` aggregations (size >> 10k).
DEFAULT_HEAP_MB = 512

MAIN_CLASS = "newsflow.es.NewsflowNode"

#: Where the pom, Java sources and log4j2.properties live.
SOURCE_DIR = Path(__file__).resolve().parent / "elasticsearch"

#: Preferred JDK when JAVA_HOME is not set (Debian's OpenJDK 17 package).
_DEFAULT_JAVA_HOMES = ("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/java-17-openjdk-arm64")

#: JVM flags: the relevant subset of Elastic's default jvm.options.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-Xss1m",
    "-XX:-OmitStackTraceInFastThrow",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Djna.nosys=true",  # use the JNA bundled in the classpath, not a system libjnidispatch
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dlog4j.shutdownHookEnabled=false",  # our shutdown hook closes the node, then log4j
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j2.formatMsgNoLookups=true",
)


def _tail(text: str, n: int = 30) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[-n:])


def find_java(tool: str = "java") -> str:
    """Path of ``java``/``javac``: $JAVA_HOME, then Debian's JDK 17, then $PATH."""
    homes = [os.environ.get("JAVA_HOME", ""), *_DEFAULT_JAVA_HOMES]
    for home in homes:
        if home and (Path(home) / "bin" / tool).is_file():
            return str(Path(home) / "bin" / tool)
    found = shutil.which(tool)
    if not found:
        raise RuntimeError(f"{tool} not found: install a JDK 17+ or set JAVA_HOME")
    return found


def _run(argv: list[str], what: str, log: Callable[[str], None], cwd: Path | None = None) -> None:
    log(f"[elasticsearch] {what}: {' '.join(argv[:4])} ...")
    try:
        res = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    except OSError as exc:
        raise RuntimeError(f"{what} failed to run {argv[0]}: {exc}") from exc
    if res.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {res.returncode}):\n{_tail(res.stdout + res.stderr)}")


def _sources() -> list[Path]:
    return sorted((SOURCE_DIR / "src").rglob("*.java"))


def build(cache_dir: Path, log: Callable[[str], None] = print) -> Path:
    """Make ``<cache_dir>/elasticsearch/{lib,classes}`` ready; return ``<cache_dir>/elasticsearch``.

    * ``lib/``: ``mvn dependency:copy-dependencies`` of infra/elasticsearch/pom.xml (~43 MB);
      downloads from Maven Central on first run (or when the pom changes), offline afterwards.
    * ``classes/``: javac of infra/elasticsearch/src plus log4j2.properties, redone when any
      source is newer than the last compile.

    Raises RuntimeError with mvn/javac's last output lines on failure.
    """
    root = Path(cache_dir).resolve() / "elasticsearch"
    root.mkdir(parents=True, exist_ok=True)
    if _fetch_jars(root, log):
        shutil.rmtree(root / "classes", ignore_errors=True)  # a new lib invalidates the compiled classes
    _compile(root, log)
    return root


def _fetch_jars(root: Path, log: Callable[[str], None]) -> bool:
    """``root/lib`` from Maven Central when the pom changed since the last copy; True if it was (re)made."""
    lib = root / "lib"
    pom = SOURCE_DIR / "pom.xml"
    pom_digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    lib_stamp = lib / ".pom.sha256"
    if lib_stamp.is_file() and lib_stamp.read_text().strip() == pom_digest:
        return False
    mvn = shutil.which("mvn")
    if not mvn:
        raise RuntimeError("mvn (Maven 3) not found on PATH; needed once to fetch the Elasticsearch jars")
    tmp = Path(tempfile.mkdtemp(prefix="lib.", dir=root))
    try:
        copy = [mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies", f"-DoutputDirectory={tmp}"]
        _run([*copy, "-Dmdep.useRepositoryLayout=false"], "mvn copy-dependencies", log)
        if not any(tmp.glob(f"elasticsearch-{ES_VERSION}.jar")):
            raise RuntimeError(f"mvn copy-dependencies made no elasticsearch-{ES_VERSION}.jar in {tmp}")
        (tmp / ".pom.sha256").write_text(pom_digest + "\n")
        shutil.rmtree(lib, ignore_errors=True)
        tmp.rename(lib)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return True


def _compile(root: Path, log: Callable[[str], None]) -> None:
    """``root/classes``: the launcher and plugin sources compiled, when any is newer than the last compile."""
    classes = root / "classes"
    stamp = classes / ".compiled"
    sources = _sources()
    if not sources:
        raise RuntimeError(f"no Java sources under {SOURCE_DIR / 'src'}")
    inputs = [*sources, SOURCE_DIR / "log4j2.properties"]
    newest = max(p.stat().st_mtime for p in inputs)
    if stamp.is_file() and stamp.stat().st_mtime >= newest:
        return
    tmp = Path(tempfile.mkdtemp(prefix="classes.", dir=root))
    try:
        javac = [find_java("javac"), "-nowarn", "--release", "17", "-encoding", "UTF-8"]
        _run([*javac, "-cp", str(root / "lib" / "*"), "-d", str(tmp), *map(str, sources)], "javac", log)
        shutil.copy2(SOURCE_DIR / "log4j2.properties", tmp / "log4j2.properties")
        (tmp / ".compiled").write_text(ES_VERSION + "\n")
        shutil.rmtree(classes, ignore_errors=True)
        tmp.rename(classes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def command(
    cache_dir: Path,
    data_dir: Path,
    http_port: int = DEFAULT_HTTP_PORT,
    transport_port: int = DEFAULT_TRANSPORT_PORT,
    heap_mb: int = DEFAULT_HEAP_MB,
    *,
    console_log: bool = False,
    node_settings: dict[str, str] | None = None,
) -> list[str]:
    """argv that runs the node in the foreground until SIGTERM/SIGINT (then closes it cleanly).

    ``cache_dir`` is what :func:`build` returned (``<cache>/elasticsearch``) or the cache
    folder given to it. Binds 127.0.0.1 only. Logs go to ``<data_dir>/logs/newsflow.log``;
    ``console_log=True`` also writes them to stdout (then drain the pipe!). ``node_settings`` override
    the launcher's single-node settings (a comma in a value makes it a list), e.g. for a cluster node.
    """
    root = Path(cache_dir).resolve()
    if root.name != "elasticsearch" or not (root / "lib").is_dir():
        root = root / "elasticsearch"
    classpath = os.pathsep.join([str(root / "lib" / "*"), str(root / "classes")])
    return [
        find_java("java"),
        f"-Xms{heap_mb}m",
        f"-Xmx{heap_mb}m",
        f"-XX:MaxDirectMemorySize={max(64, heap_mb // 2)}m",  # what Elastic's launcher derives
        *_JVM_FLAGS,
        f"-Dnewsflow.es.console={'true' if console_log else 'false'}",
        "-cp",
        classpath,
        MAIN_CLASS,
        str(Path(data_dir).resolve()),
        str(http_port),
        str(transport_port),
        *(f"{key}={value}" for key, value in (node_settings or {}).items()),
    ]
