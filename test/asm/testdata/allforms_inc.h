// Included by allforms.s to check #include of a local file.
#define INCLUDED_CONST 0x1234
// 40 instructions of 11 bytes: enough to push a branch past 127 bytes.
#define BIG4 MOVL $0x12345678, 0x1000(BX)(SI*4); MOVL $0x12345678, 0x1000(BX)(SI*4); MOVL $0x12345678, 0x1000(BX)(SI*4); MOVL $0x12345678, 0x1000(BX)(SI*4)
#define BIG40 BIG4; BIG4; BIG4; BIG4; BIG4; BIG4; BIG4; BIG4; BIG4; BIG4
