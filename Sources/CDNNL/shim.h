// oneDNN (Debian's libdnnl-dev ships no pkg-config file, so the module map links `dnnl` by name).
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_version.h>
