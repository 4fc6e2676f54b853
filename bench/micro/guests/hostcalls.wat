;; Guest loops that do nothing but host calls, for crush_micro_bench (hostcall_bench.cpp).
;; Each loop returns the first non-zero errno it saw (0 = every call succeeded), so the
;; benchmark can check it measured real work and not an early error.
;;
;; Memory layout: 16 iovec {buf 4096, len 4096}; 24 iovec {buf 64, len 0}; 32 nread/nwritten;
;; 40 opened fd; 48 clock result; 128 the file name "f.bin"; 4096.. the read buffer.
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread" (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "bench" "nop" (func $nop))
  (memory (export "memory") 1)
  (data (i32.const 16) "\00\10\00\00\00\10\00\00")  ;; iovec {4096, 4096}
  (data (i32.const 24) "\40\00\00\00\00\00\00\00")  ;; iovec {64, 0}
  (data (i32.const 128) "f.bin")

  ;; The loop alone, to subtract.
  (func (export "spin") (param $n i32) (result i32)
    (loop $l
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))

  ;; An empty host function through the VM only (no WASI, no gate).
  (func (export "nop_loop") (param $n i32) (result i32)
    (loop $l
      (call $nop)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))

  ;; clock_time_get(monotonic): WASI adapter + gate (clock) + Hal clock.
  (func (export "clock_loop") (param $n i32) (result i32)
    (local $e i32)
    (loop $l
      (local.set $e (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 48)))
      (if (local.get $e) (then (return (local.get $e))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))

  ;; fd_write of 0 bytes to stdout: WASI adapter + handle lookup + gate (io.print) + Hal.
  (func (export "write0_loop") (param $n i32) (result i32)
    (local $e i32)
    (loop $l
      (local.set $e (call $fd_write (i32.const 1) (i32.const 24) (i32.const 1) (i32.const 32)))
      (if (local.get $e) (then (return (local.get $e))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))

  ;; 4 KiB pread at offset 0 of an open handle.
  (func (export "pread_loop") (param $fd i32) (param $n i32) (result i32)
    (local $e i32)
    (loop $l
      (local.set $e (call $fd_pread (local.get $fd) (i32.const 16) (i32.const 1) (i64.const 0) (i32.const 32)))
      (if (local.get $e) (then (return (local.get $e))))
      (if (i32.ne (i32.load (i32.const 32)) (i32.const 4096)) (then (return (i32.const -1))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))

  ;; path_open("f.bin") under the root preopen (3), read 4 KiB, close: a whole small-file read.
  (func (export "open_read_close_loop") (param $n i32) (result i32)
    (local $e i32)
    (loop $l
      ;; rights: fd_read (1<<1) | fd_seek (1<<2)
      (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 128) (i32.const 5) (i32.const 0)
                                     (i64.const 6) (i64.const 0) (i32.const 0) (i32.const 40)))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $e (call $fd_read (i32.load (i32.const 40)) (i32.const 16) (i32.const 1) (i32.const 32)))
      (if (local.get $e) (then (return (local.get $e))))
      (if (i32.ne (i32.load (i32.const 32)) (i32.const 4096)) (then (return (i32.const -1))))
      (local.set $e (call $fd_close (i32.load (i32.const 40))))
      (if (local.get $e) (then (return (local.get $e))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))

  ;; Open "f.bin" once and return its handle (for pread_loop), or -errno.
  (func (export "open_file") (result i32)
    (local $e i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 128) (i32.const 5) (i32.const 0)
                                   (i64.const 6) (i64.const 0) (i32.const 0) (i32.const 40)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (i32.load (i32.const 40)))
)
