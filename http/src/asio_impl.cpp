// The one translation unit that compiles Asio's and Beast's implementation (the whole
// project defines BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION),
// so no other file pays for it.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
