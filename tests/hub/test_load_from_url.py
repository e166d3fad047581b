"""load_state_dict_from_url against an HTTP server on 127.0.0.1 started here: the hash
convention, the cache, refusals, and no partial files after a broken download."""

from __future__ import annotations

import functools
import hashlib
import http.server
import pickle
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

import headwater as hw
from headwater.autograd.file_kind import PickleFileError
from headwater.hub import DownloadError, IntegrityError


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        if self.path.startswith("/broken/"):  # promise the whole file, send half, hang up
            data = (Path(self.directory) / self.path.split("/")[-1]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        super().do_GET()


class _Server:
    def __init__(self, folder: Path) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    hw.manual_seed(0)
    model = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.ReLU(), hw.nn.Linear(4, 2))
    hw.save(model.state_dict(), folder / "tmp.safetensors")
    digest = hashlib.sha256((folder / "tmp.safetensors").read_bytes()).hexdigest()
    good = f"mlp-{digest[:8]}.safetensors"
    (folder / "tmp.safetensors").rename(folder / good)
    (folder / "mlp-deadbeef.safetensors").write_bytes((folder / good).read_bytes())
    (folder / "model.pt").write_bytes(pickle.dumps({"weight": [1.0]}))
    server = _Server(folder)
    yield server, model, good, folder
    server.stop()


def _same(state, model):
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(state[key].numpy(), value.detach().numpy())


def test_download_with_hash_check_then_cache_hit_with_the_server_stopped(served, tmp_path, capfd):
    server, model, good, _ = served
    cache = tmp_path / "cache"
    state = hw.hub.load_state_dict_from_url(f"{server.url}/{good}", model_dir=cache, check_hash=True, progress=True)
    _same(state, model)
    assert sorted(p.name for p in cache.iterdir()) == [good]
    server.stop()
    server.stop = lambda: None
    again = hw.hub.load_state_dict_from_url(f"{server.url}/{good}", model_dir=cache, check_hash=True,
                                            map_location="cpu", weights_only=True)
    _same(again, model)
    target = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.ReLU(), hw.nn.Linear(4, 2))
    target.load_state_dict(again)


def test_a_wrong_hash_is_refused_and_nothing_is_cached(served, tmp_path):
    server, _, _, _ = served
    cache = tmp_path / "cache"
    with pytest.raises(IntegrityError, match=r'invalid hash value \(expected "deadbeef"'):
        hw.hub.load_state_dict_from_url(f"{server.url}/mlp-deadbeef.safetensors", model_dir=cache, check_hash=True,
                                        progress=False)
    assert list(cache.iterdir()) == []
    # without check_hash the same file is taken, as torch does
    hw.hub.load_state_dict_from_url(f"{server.url}/mlp-deadbeef.safetensors", model_dir=cache, progress=False)
    with pytest.raises(ValueError, match="name-<sha256 prefix>.ext"):
        hw.hub.load_state_dict_from_url(f"{server.url}/model.pt", model_dir=cache, check_hash=True)


def test_a_tampered_cached_file_is_refused_with_check_hash(served, tmp_path):
    server, _, good, _ = served
    cache = tmp_path / "cache"
    hw.hub.load_state_dict_from_url(f"{server.url}/{good}", model_dir=cache, check_hash=True, progress=False)
    data = bytearray((cache / good).read_bytes())
    data[-1] ^= 0xFF
    (cache / good).write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match=f"{good}: sha256 .* refusing to load"):
        hw.hub.load_state_dict_from_url(f"{server.url}/{good}", model_dir=cache, check_hash=True, progress=False)


def test_an_interrupted_download_leaves_no_file_in_the_cache(served, tmp_path):
    server, _, good, _ = served
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="broke off"):
        hw.hub.load_state_dict_from_url(f"{server.url}/broken/{good}", model_dir=cache, progress=True)
    assert list(cache.iterdir()) == []


def test_no_network_names_the_url_and_the_cache_path(tmp_path):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/weights-abc.safetensors"
    with pytest.raises(DownloadError) as info:
        hw.hub.load_state_dict_from_url(url, model_dir=tmp_path / "c", progress=False)
    assert url in str(info.value) and str(tmp_path / "c" / "weights-abc.safetensors") in str(info.value)
    assert list((tmp_path / "c").iterdir()) == []


def test_pickle_files_are_refused_after_download(served, tmp_path):
    server, _, _, _ = served
    with pytest.raises(PickleFileError, match="never unpickles"):
        hw.hub.load_state_dict_from_url(f"{server.url}/model.pt", model_dir=tmp_path / "c", progress=False)


def test_file_urls_file_name_and_the_default_cache_folders(served, tmp_path, monkeypatch):
    _, model, good, folder = served
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    state = hw.hub.load_state_dict_from_url((folder / good).as_uri(), file_name="renamed.safetensors", progress=False)
    _same(state, model)
    assert (tmp_path / "home" / "hub" / "checkpoints" / "renamed.safetensors").exists()
    monkeypatch.delenv("HEADWATER_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hw.hub.get_dir() == str(tmp_path / "xdg" / "headwater" / "hub")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert hw.hub.get_dir() == str(tmp_path / "user" / ".cache" / "headwater" / "hub")
    hw.hub.set_dir(tmp_path / "chosen")
    try:
        assert hw.hub.get_dir() == str(tmp_path / "chosen")
    finally:
        hw.hub.set_dir(None)
