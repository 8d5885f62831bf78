"""UPLOAD_DIR on shared storage: two hosts (two processes here) storing the same content at the
same moment both succeed, and leave one file with the right bytes and no temporary file: the
upload is written under UPLOAD_DIR/tmp, on the store's own file system, then renamed into place
(a rename is atomic within one file system, an NFS export included)."""
import hashlib
import io
import multiprocessing

from webapp.core.storage import FileStore

ROUNDS = 40


def content_of(round_number: int) -> bytes:
    seed = hashlib.sha256(str(round_number).encode()).digest()
    return seed * (256 * 1024 // len(seed))  # 256 KiB, the same in both processes


def store_every_round(root: str, barrier, keys) -> None:
    store = FileStore(root)
    for round_number in range(ROUNDS):
        barrier.wait(timeout=60)
        spooled = store.spool(io.BytesIO(content_of(round_number)), max_bytes=10**7)
        keys.put((round_number, store.keep(spooled)))


def test_two_processes_storing_the_same_content_at_once_leave_one_whole_file(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier, keys = context.Barrier(2), context.Queue()
    hosts = [context.Process(target=store_every_round, args=(str(tmp_path), barrier, keys))
             for _ in range(2)]
    for host in hosts:
        host.start()
    stored = [keys.get(timeout=120) for _ in range(2 * ROUNDS)]
    for host in hosts:
        host.join(timeout=60)
    assert [host.exitcode for host in hosts] == [0, 0]
    store = FileStore(tmp_path)
    for round_number, key in stored:
        expected = content_of(round_number)
        assert key == hashlib.sha256(expected).hexdigest()
        assert store.path_for(key).read_bytes() == expected
    assert len(list(store.objects.glob("??/??/*"))) == ROUNDS
    assert list(store.tmp.iterdir()) == []
