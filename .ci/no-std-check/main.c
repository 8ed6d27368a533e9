/* Links the no_std static library into a host program and calls the no-alloc signing path. */
#include <stdio.h>
#include <stddef.h>
size_t presign_no_std_demo(void);
int main(void) {
    size_t n = presign_no_std_demo();
    printf("no_std presign wrote %zu bytes of URLs\n", n);
    return n > 0 ? 0 : 1;
}
