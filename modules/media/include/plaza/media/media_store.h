#pragma once
// Where the bytes of stored renditions live. MediaService names every object with a key
// it generated itself (random, never from user input), so a store needs no path
// sanitising beyond refusing keys outside its alphabet. The local-disk store is the
// embedded default; an object store can implement the same interface.
//
// Thread-safety: implementations may be used from any number of threads at once.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::media {

class MediaStore {
 public:
  virtual ~MediaStore() = default;
  // Stores `bytes` under `key`, replacing what was there. Readers see either the old or
  // the new object, never a partial one.
  virtual Status Put(std::string_view key, std::string_view bytes) = 0;
  // kNotFound when no object has that key.
  virtual Result<std::string> Get(std::string_view key) = 0;
  // Removing an absent key is not an error.
  virtual Status Delete(std::string_view key) = 0;
};

// True for keys made of [a-z0-9_.-] with '/' separating non-empty segments that do not
// start with a dot: the only keys stores accept.
bool IsValidStoreKey(std::string_view key);

// Objects as files under `root` (one file per key, sub-folders per '/'). Put writes a
// temporary file in the same folder, flushes it and renames it over the key's file.
// Delete also removes the key's folder when that leaves it empty (so a key must not be
// written into a folder while the folder's last key is being deleted; MediaService's
// keys have a folder per asset).
class DiskMediaStore final : public MediaStore {
 public:
  // Creates `root` when missing. Errors: kUnavailable when it cannot be created.
  static Result<std::unique_ptr<DiskMediaStore>> Open(const std::filesystem::path& root);

  Status Put(std::string_view key, std::string_view bytes) override;
  Result<std::string> Get(std::string_view key) override;
  Status Delete(std::string_view key) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  explicit DiskMediaStore(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path root_;
};

}  // namespace plaza::media
