#include "plaza/media/media_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "plaza/core/crypto.h"

namespace plaza::media {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

Error StoreError(std::string_view action, std::string_view key, std::string_view reason) {
  return Error::Unavailable("the media store could not " + std::string(action) + " " + std::string(key) + ": " +
                            std::string(reason));
}

// Writes all of `bytes` to `fd` and flushes them to the disk, so the rename that follows
// never publishes a file whose contents a crash could still lose.
bool WriteAndSync(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return ::fsync(fd) == 0;
}

}  // namespace

bool IsValidStoreKey(std::string_view key) {
  if (key.empty() || key.size() > 200) return false;
  std::size_t segment_start = 0;
  for (std::size_t pos = 0; pos <= key.size(); ++pos) {
    if (pos == key.size() || key[pos] == '/') {
      if (pos == segment_start || key[segment_start] == '.') return false;
      segment_start = pos + 1;
    } else if (!IsKeyChar(key[pos])) {
      return false;
    }
  }
  return true;
}

Result<std::unique_ptr<DiskMediaStore>> DiskMediaStore::Open(const std::filesystem::path& root) {
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error) return Error::Unavailable("cannot create the media directory " + root.string() + ": " + error.message());
  return std::unique_ptr<DiskMediaStore>(new DiskMediaStore(root));
}

Status DiskMediaStore::Put(std::string_view key, std::string_view bytes) {
  if (!IsValidStoreKey(key)) return Error::Internal("invalid media store key");
  const std::filesystem::path target = root_ / std::string(key);
  std::error_code error;
  std::filesystem::create_directories(target.parent_path(), error);
  if (error) return StoreError("create the folder for", key, error.message());
  // A temporary name of its own per writer, in the same folder so the rename is atomic.
  const std::filesystem::path temporary = target.parent_path() / (".tmp-" + crypto::RandomToken(12));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return StoreError("write", key, std::strerror(errno));
  const bool written = WriteAndSync(fd, bytes);
  const int saved_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    std::filesystem::remove(temporary, error);  // best effort: the write already failed
    return StoreError("write", key, std::strerror(written ? errno : saved_errno));
  }
  std::filesystem::rename(temporary, target, error);
  if (error) {
    std::error_code ignored;  // best effort: the rename already failed
    std::filesystem::remove(temporary, ignored);
    return StoreError("write", key, error.message());
  }
  return Ok();
}

Result<std::string> DiskMediaStore::Get(std::string_view key) {
  if (!IsValidStoreKey(key)) return Error::NotFound("no such media object");
  std::ifstream in(root_ / std::string(key), std::ios::binary);
  if (!in) return Error::NotFound("no such media object");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return StoreError("read", key, "I/O error");
  return std::move(bytes).str();
}

Status DiskMediaStore::Delete(std::string_view key) {
  if (!IsValidStoreKey(key)) return Ok();
  const std::filesystem::path target = root_ / std::string(key);
  std::error_code error;
  std::filesystem::remove(target, error);
  if (error) return StoreError("delete", key, error.message());
  // Each asset has a folder of its own: without this, every removed asset would leave
  // one behind. A folder that still holds files stays (rmdir refuses it).
  if (key.find('/') != std::string_view::npos) (void)::rmdir(target.parent_path().c_str());
  return Ok();
}

}  // namespace plaza::media
