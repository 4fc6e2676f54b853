;; Malformed binaries: each module below breaks one rule of the binary format. The bytes are
;; spelled out; comments say what each group is.

;; Preamble.
(assert_malformed (module binary "") "unexpected end")
(assert_malformed (module binary "\00as") "unexpected end")
(assert_malformed (module binary "\00asm\01\00") "unexpected end")
(assert_malformed (module binary "\00ASM\01\00\00\00") "magic header not detected")
(assert_malformed (module binary "wasm\01\00\00\00") "magic header not detected")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00asm\00\00\00\01") "unknown binary version")

;; Sections: unknown id, size not matching the contents, order.
(assert_malformed (module binary "\00asm\01\00\00\00" "\0e\00") "malformed section id")
(assert_malformed (module binary "\00asm\01\00\00\00" "\01\02\00\00") "section size mismatch")
(assert_malformed (module binary "\00asm\01\00\00\00" "\01\05\00") "length out of bounds")
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\03\01\00"                 ;; function section, no functions
    "\01\01\00")                ;; type section after it
  "unexpected content after last section")

;; LEB128: a u32 in more than 5 bytes, and a 5-byte u32 with bits beyond 32.
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\06\80\80\80\80\80\00")
  "integer representation too long")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\05\80\80\80\80\70")
  "integer too large")
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\05\07\01\00\ff\ff\ff\ff\1f")  ;; memory min = 0x1ffffffff
  "integer too large")

;; Vectors and names.
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\00\02\01\ff")  ;; custom section named "\ff"
  "malformed UTF-8 encoding")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\00\04\03\ed\a0\80")  ;; an encoded surrogate
  "malformed UTF-8 encoding")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\00\03\02\c0\80")  ;; overlong NUL
  "malformed UTF-8 encoding")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\07\06\01\7f\61\00\00\00")  ;; export name of 127 bytes
  "length out of bounds")

;; Functions and code.
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\01\04\01\60\00\00"        ;; type: () -> ()
    "\03\02\01\00")             ;; one function, no code section
  "function and code section have inconsistent lengths")
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\01\04\01\60\00\00"
    "\0a\04\01\02\00\0b")       ;; a body, no function section
  "function and code section have inconsistent lengths")
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\01\04\01\60\00\00"
    "\03\02\01\00"
    "\0a\10\01\0e\02\ff\ff\ff\ff\0f\7f\ff\ff\ff\ff\0f\7e\0b")  ;; 2 * (2^32 - 1) locals
  "too many locals")
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\01\04\01\60\00\00"
    "\03\02\01\00"
    "\0a\05\01\03\00\06\0b")    ;; opcode 0x06 is not an instruction
  "illegal opcode")
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\01\05\01\60\00\01\7f"     ;; type: () -> i32
    "\03\02\01\00"
    "\05\03\01\00\01"           ;; memory 1
    "\0a\06\01\04\00\3f\01\0b") ;; memory.size with reserved byte 1
  "zero byte expected")

;; Other sections: global mutability, import kind, reference type, data count.
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\06\06\01\7f\02\41\00\0b")
  "malformed mutability")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\02\06\01\01\6d\01\66\05")
  "malformed import kind")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\04\04\01\7f\00\00")
  "malformed reference type")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\0c\01\01")  ;; data count 1, no data section
  "data count and data section have inconsistent lengths")
(assert_malformed
  (module binary "\00asm\01\00\00\00"
    "\01\04\01\60\00\00"
    "\03\02\01\00"
    "\05\03\01\00\01"
    "\0a\07\01\05\00\fc\09\00\0b"  ;; data.drop 0 without a data count section
    "\0b\03\01\01\00")             ;; one passive, empty segment
  "data count section required")

;; Well-formed binaries for contrast: an empty module, custom sections anywhere, an empty
;; function with a redundant-but-legal 5-byte LEB128 count.
(module binary "\00asm\01\00\00\00")
(module binary "\00asm\01\00\00\00" "\00\05\04meta" "\01\04\01\60\00\00" "\00\03\02hi")
(module binary "\00asm\01\00\00\00"
  "\01\08\01\60\80\80\80\80\00\00"  ;; type () -> () with a 5-byte param count
  "\03\02\01\00"
  "\07\05\01\01\66\00\00"           ;; export "f"
  "\0a\04\01\02\00\0b")
(assert_return (invoke "f"))
