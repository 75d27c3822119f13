//go:build !purego

#include "textflag.h"

// tailMask<> holds eight all-ones lanes then eight zero lanes: the 32 bytes
// from lane 8-n on select the first n lanes of a ymm register, which is how
// VMASKMOVPS touches only the last n < 8 columns of a row and never reads
// past the end of a slice.
DATA tailMask<>+0(SB)/4, $0xffffffff
DATA tailMask<>+4(SB)/4, $0xffffffff
DATA tailMask<>+8(SB)/4, $0xffffffff
DATA tailMask<>+12(SB)/4, $0xffffffff
DATA tailMask<>+16(SB)/4, $0xffffffff
DATA tailMask<>+20(SB)/4, $0xffffffff
DATA tailMask<>+24(SB)/4, $0xffffffff
DATA tailMask<>+28(SB)/4, $0xffffffff
DATA tailMask<>+32(SB)/4, $0
DATA tailMask<>+36(SB)/4, $0
DATA tailMask<>+40(SB)/4, $0
DATA tailMask<>+44(SB)/4, $0
DATA tailMask<>+48(SB)/4, $0
DATA tailMask<>+52(SB)/4, $0
DATA tailMask<>+56(SB)/4, $0
DATA tailMask<>+60(SB)/4, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

// func axpyFMA(alpha float32, x, y []float32)
//
// y[i] += alpha·x[i] for i < len(y); the caller guarantees len(x) >= len(y).
// Four independent ymm registers per iteration keep both FMA units busy.
TEXT ·axpyFMA(SB), NOSPLIT, $0-56
	MOVQ         x_base+8(FP), SI
	MOVQ         y_base+32(FP), DI
	MOVQ         y_len+40(FP), DX
	VBROADCASTSS alpha+0(FP), Y15

axpy32:
	CMPQ        DX, $32
	JLT         axpy8
	VMOVUPS     0(DI), Y0
	VMOVUPS     32(DI), Y1
	VMOVUPS     64(DI), Y2
	VMOVUPS     96(DI), Y3
	VFMADD231PS 0(SI), Y15, Y0
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VMOVUPS     Y0, 0(DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, DX
	JMP         axpy32

axpy8:
	CMPQ        DX, $8
	JLT         axpy1
	VMOVUPS     (DI), Y0
	VFMADD231PS (SI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, DX
	JMP         axpy8

axpy1:
	TESTQ       DX, DX
	JEQ         axpydone
	VMOVSS      (DI), X0
	VFMADD231SS (SI), X15, X0
	VMOVSS      X0, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        DX
	JMP         axpy1

axpydone:
	VZEROUPPER
	RET

// func gatherFMA(dst, base []float32, stride int, idx []uint16, val []uint8, table *[256]float32, add bool)
//
// dst[c] += table[val[e]]·base[idx[e]·stride+c] for every entry e and column
// c < len(dst), or dst[c] = the sum alone when add is false. The caller
// guarantees len(val) >= len(idx) and idx[e]·stride+len(dst) <= len(base)
// for every e.
//
// The columns go in blocks of up to 96: a block's partial sums stay in ymm
// registers while every entry's row segment is added in, so dst is loaded and
// stored once per block instead of once per entry, and each base row segment
// is read straight into the FMA. Blocks of 32 columns or fewer have too few
// accumulators to hide the FMA latency, so they take two entries at a time
// into two sets of accumulators. 97 to 103 columns, a hidden layer of 100,
// go in a single pass with a masked 13th accumulator.
//
// Registers: DI dst, DX columns left, SI base (moving with the block), R8
// stride in bytes, R9 idx, R10 val, R11 len(idx), R12 table, CX the entry,
// R13 the even part of len(idx), Y14 and Y15 the broadcast scales, Y13 the
// tail mask.
TEXT ·gatherFMA(SB), NOSPLIT, $0-113
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), DX
	MOVQ base_base+24(FP), SI
	MOVQ stride+48(FP), R8
	SHLQ $2, R8
	MOVQ idx_base+56(FP), R9
	MOVQ idx_len+64(FP), R11
	MOVQ val_base+80(FP), R10
	MOVQ table+104(FP), R12

// gather96: columns in blocks of 96 (12 accumulators).
gather96:
	CMPQ DX, $96
	JLT  gather64
	JEQ  gather96_block
	CMPQ DX, $104
	JLT  gather96t
gather96_block:
	CMPB add+112(FP), $0
	JEQ  gather96_zero
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	VMOVUPS 256(DI), Y8
	VMOVUPS 288(DI), Y9
	VMOVUPS 320(DI), Y10
	VMOVUPS 352(DI), Y11
	JMP  gather96_run
gather96_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
gather96_run:
	XORQ CX, CX
	TESTQ R11, R11
	JEQ  gather96_store
gather96_loop:
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVWQZX (R9)(CX*2), AX
	IMULQ R8, AX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 128(SI)(AX*1), Y14, Y4
	VFMADD231PS 160(SI)(AX*1), Y14, Y5
	VFMADD231PS 192(SI)(AX*1), Y14, Y6
	VFMADD231PS 224(SI)(AX*1), Y14, Y7
	VFMADD231PS 256(SI)(AX*1), Y14, Y8
	VFMADD231PS 288(SI)(AX*1), Y14, Y9
	VFMADD231PS 320(SI)(AX*1), Y14, Y10
	VFMADD231PS 352(SI)(AX*1), Y14, Y11
	INCQ CX
	CMPQ CX, R11
	JLT  gather96_loop
gather96_store:
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)
	VMOVUPS Y10, 320(DI)
	VMOVUPS Y11, 352(DI)
	ADDQ $384, DI
	ADDQ $384, SI
	SUBQ $96, DX
	JMP  gather96

// gather96t: the last 97 to 103 columns (a hidden layer of 100) in one
// block of 12 accumulators and one under a mask, rather than two passes
// over the entries.
gather96t:
	MOVQ DX, AX
	SUBQ $96, AX
	MOVQ $8, BX
	SUBQ AX, BX
	LEAQ tailMask<>(SB), AX
	VMOVDQU (AX)(BX*4), Y13
	CMPB add+112(FP), $0
	JEQ  gather96t_zero
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	VMOVUPS 256(DI), Y8
	VMOVUPS 288(DI), Y9
	VMOVUPS 320(DI), Y10
	VMOVUPS 352(DI), Y11
	VMASKMOVPS 384(DI), Y13, Y12
	JMP  gather96t_run
gather96t_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
gather96t_run:
	XORQ CX, CX
	TESTQ R11, R11
	JEQ  gather96t_store
gather96t_loop:
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVWQZX (R9)(CX*2), AX
	IMULQ R8, AX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 128(SI)(AX*1), Y14, Y4
	VFMADD231PS 160(SI)(AX*1), Y14, Y5
	VFMADD231PS 192(SI)(AX*1), Y14, Y6
	VFMADD231PS 224(SI)(AX*1), Y14, Y7
	VFMADD231PS 256(SI)(AX*1), Y14, Y8
	VFMADD231PS 288(SI)(AX*1), Y14, Y9
	VFMADD231PS 320(SI)(AX*1), Y14, Y10
	VFMADD231PS 352(SI)(AX*1), Y14, Y11
	VMASKMOVPS 384(SI)(AX*1), Y13, Y15
	VFMADD231PS Y15, Y14, Y12
	INCQ CX
	CMPQ CX, R11
	JLT  gather96t_loop
gather96t_store:
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)
	VMOVUPS Y10, 320(DI)
	VMOVUPS Y11, 352(DI)
	VMASKMOVPS Y12, Y13, 384(DI)
	JMP  gatherdone

// gather64: columns in blocks of 64 (8 accumulators).
gather64:
	CMPQ DX, $64
	JLT  gather32
	CMPB add+112(FP), $0
	JEQ  gather64_zero
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	JMP  gather64_run
gather64_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
gather64_run:
	XORQ CX, CX
	TESTQ R11, R11
	JEQ  gather64_store
gather64_loop:
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVWQZX (R9)(CX*2), AX
	IMULQ R8, AX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 128(SI)(AX*1), Y14, Y4
	VFMADD231PS 160(SI)(AX*1), Y14, Y5
	VFMADD231PS 192(SI)(AX*1), Y14, Y6
	VFMADD231PS 224(SI)(AX*1), Y14, Y7
	INCQ CX
	CMPQ CX, R11
	JLT  gather64_loop
gather64_store:
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ $256, DI
	ADDQ $256, SI
	SUBQ $64, DX
	JMP  gather64

// gather32: columns in blocks of 32 (4 accumulators).
gather32:
	CMPQ DX, $32
	JLT  gather16
	CMPB add+112(FP), $0
	JEQ  gather32_zero
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	JMP  gather32_run
gather32_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
gather32_run:
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ CX, CX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  gather32_one
gather32_two:
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVBQZX 1(R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y15
	MOVWQZX (R9)(CX*2), AX
	MOVWQZX 2(R9)(CX*2), BX
	IMULQ R8, AX
	IMULQ R8, BX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 0(SI)(BX*1), Y15, Y4
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 32(SI)(BX*1), Y15, Y5
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 64(SI)(BX*1), Y15, Y6
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 96(SI)(BX*1), Y15, Y7
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  gather32_two
gather32_one:
	CMPQ CX, R11
	JEQ  gather32_store
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVWQZX (R9)(CX*2), AX
	IMULQ R8, AX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
gather32_store:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ $128, DI
	ADDQ $128, SI
	SUBQ $32, DX
	JMP  gather32

// gather16: columns in blocks of 16 (2 accumulators).
gather16:
	CMPQ DX, $16
	JLT  gather8
	CMPB add+112(FP), $0
	JEQ  gather16_zero
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	JMP  gather16_run
gather16_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
gather16_run:
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ CX, CX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  gather16_one
gather16_two:
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVBQZX 1(R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y15
	MOVWQZX (R9)(CX*2), AX
	MOVWQZX 2(R9)(CX*2), BX
	IMULQ R8, AX
	IMULQ R8, BX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 0(SI)(BX*1), Y15, Y2
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 32(SI)(BX*1), Y15, Y3
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  gather16_two
gather16_one:
	CMPQ CX, R11
	JEQ  gather16_store
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVWQZX (R9)(CX*2), AX
	IMULQ R8, AX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
gather16_store:
	VADDPS Y2, Y0, Y0
	VADDPS Y3, Y1, Y1
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $16, DX
	JMP  gather16

// gather8: columns in blocks of 8 (1 accumulator).
gather8:
	CMPQ DX, $8
	JLT  gatherrest
	CMPB add+112(FP), $0
	JEQ  gather8_zero
	VMOVUPS 0(DI), Y0
	JMP  gather8_run
gather8_zero:
	VXORPS Y0, Y0, Y0
gather8_run:
	VXORPS Y1, Y1, Y1
	XORQ CX, CX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  gather8_one
gather8_two:
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVBQZX 1(R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y15
	MOVWQZX (R9)(CX*2), AX
	MOVWQZX 2(R9)(CX*2), BX
	IMULQ R8, AX
	IMULQ R8, BX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 0(SI)(BX*1), Y15, Y1
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  gather8_two
gather8_one:
	CMPQ CX, R11
	JEQ  gather8_store
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVWQZX (R9)(CX*2), AX
	IMULQ R8, AX
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
gather8_store:
	VADDPS Y1, Y0, Y0
	VMOVUPS Y0, 0(DI)
	ADDQ $32, DI
	ADDQ $32, SI
	SUBQ $8, DX
	JMP  gather8

// gatherrest: the last 1 to 7 columns, under a mask.
gatherrest:
	TESTQ DX, DX
	JEQ  gatherdone
	MOVQ $8, AX
	SUBQ DX, AX
	LEAQ tailMask<>(SB), BX
	VMOVDQU (BX)(AX*4), Y13
	CMPB add+112(FP), $0
	JEQ  gatherrest_zero
	VMASKMOVPS 0(DI), Y13, Y0
	JMP  gatherrest_run
gatherrest_zero:
	VXORPS Y0, Y0, Y0
gatherrest_run:
	VXORPS Y1, Y1, Y1
	XORQ CX, CX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  gatherrest_one
gatherrest_two:
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVBQZX 1(R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y15
	MOVWQZX (R9)(CX*2), AX
	MOVWQZX 2(R9)(CX*2), BX
	IMULQ R8, AX
	IMULQ R8, BX
	VMASKMOVPS (SI)(AX*1), Y13, Y2
	VMASKMOVPS (SI)(BX*1), Y13, Y3
	VFMADD231PS Y2, Y14, Y0
	VFMADD231PS Y3, Y15, Y1
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  gatherrest_two
gatherrest_one:
	CMPQ CX, R11
	JEQ  gatherrest_store
	MOVBQZX (R10)(CX*1), AX
	VBROADCASTSS (R12)(AX*4), Y14
	MOVWQZX (R9)(CX*2), AX
	IMULQ R8, AX
	VMASKMOVPS (SI)(AX*1), Y13, Y2
	VFMADD231PS Y2, Y14, Y0
gatherrest_store:
	VADDPS Y1, Y0, Y0
	VMASKMOVPS Y0, Y13, (DI)

gatherdone:
	VZEROUPPER
	RET

// func rowsFMA(dst, coef []float32, coefStride, k int, b []float32, ldb int)
//
// dst[c] += Σ coef[t·coefStride]·b[t·ldb+c] over t < k, for every column
// c < len(dst): one row of a matrix product. The caller guarantees
// (k-1)·coefStride < len(coef) and (k-1)·ldb+len(dst) <= len(b) when k > 0.
//
// It is gatherFMA's loop over the consecutive rows of b, with coefficients
// read from memory, and blocks its columns in the same way.
//
// Registers: DI dst, DX columns left, SI b (moving with the block), R8 ldb in
// bytes, R9 coef, R10 coefStride in bytes, R11 k, CX the term, AX the term's
// offset in b, BX its offset in coef, R12 the next term's offset in b, R13
// the even part of k, Y14 and Y15 the broadcast coefficients, Y13 the tail
// mask.
TEXT ·rowsFMA(SB), NOSPLIT, $0-96
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), DX
	MOVQ coef_base+24(FP), R9
	MOVQ coefStride+48(FP), R10
	SHLQ $2, R10
	MOVQ k+56(FP), R11
	MOVQ b_base+64(FP), SI
	MOVQ ldb+88(FP), R8
	SHLQ $2, R8

// rows96: columns in blocks of 96 (12 accumulators).
rows96:
	CMPQ DX, $96
	JLT  rows64
	JEQ  rows96_block
	CMPQ DX, $104
	JLT  rows96t
rows96_block:
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	VMOVUPS 256(DI), Y8
	VMOVUPS 288(DI), Y9
	VMOVUPS 320(DI), Y10
	VMOVUPS 352(DI), Y11
	XORQ CX, CX
	XORQ AX, AX
	XORQ BX, BX
	TESTQ R11, R11
	JEQ  rows96_store
rows96_loop:
	VBROADCASTSS (R9)(BX*1), Y14
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 128(SI)(AX*1), Y14, Y4
	VFMADD231PS 160(SI)(AX*1), Y14, Y5
	VFMADD231PS 192(SI)(AX*1), Y14, Y6
	VFMADD231PS 224(SI)(AX*1), Y14, Y7
	VFMADD231PS 256(SI)(AX*1), Y14, Y8
	VFMADD231PS 288(SI)(AX*1), Y14, Y9
	VFMADD231PS 320(SI)(AX*1), Y14, Y10
	VFMADD231PS 352(SI)(AX*1), Y14, Y11
	ADDQ R8, AX
	ADDQ R10, BX
	INCQ CX
	CMPQ CX, R11
	JLT  rows96_loop
rows96_store:
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)
	VMOVUPS Y10, 320(DI)
	VMOVUPS Y11, 352(DI)
	ADDQ $384, DI
	ADDQ $384, SI
	SUBQ $96, DX
	JMP  rows96

// rows96t: the last 97 to 103 columns (a hidden layer of 100) in one
// block of 12 accumulators and one under a mask, rather than two passes
// over the entries.
rows96t:
	MOVQ DX, AX
	SUBQ $96, AX
	MOVQ $8, BX
	SUBQ AX, BX
	LEAQ tailMask<>(SB), AX
	VMOVDQU (AX)(BX*4), Y13
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	VMOVUPS 256(DI), Y8
	VMOVUPS 288(DI), Y9
	VMOVUPS 320(DI), Y10
	VMOVUPS 352(DI), Y11
	VMASKMOVPS 384(DI), Y13, Y12
	XORQ CX, CX
	XORQ AX, AX
	XORQ BX, BX
	TESTQ R11, R11
	JEQ  rows96t_store
rows96t_loop:
	VBROADCASTSS (R9)(BX*1), Y14
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 128(SI)(AX*1), Y14, Y4
	VFMADD231PS 160(SI)(AX*1), Y14, Y5
	VFMADD231PS 192(SI)(AX*1), Y14, Y6
	VFMADD231PS 224(SI)(AX*1), Y14, Y7
	VFMADD231PS 256(SI)(AX*1), Y14, Y8
	VFMADD231PS 288(SI)(AX*1), Y14, Y9
	VFMADD231PS 320(SI)(AX*1), Y14, Y10
	VFMADD231PS 352(SI)(AX*1), Y14, Y11
	VMASKMOVPS 384(SI)(AX*1), Y13, Y15
	VFMADD231PS Y15, Y14, Y12
	ADDQ R8, AX
	ADDQ R10, BX
	INCQ CX
	CMPQ CX, R11
	JLT  rows96t_loop
rows96t_store:
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)
	VMOVUPS Y10, 320(DI)
	VMOVUPS Y11, 352(DI)
	VMASKMOVPS Y12, Y13, 384(DI)
	JMP  rowsdone

// rows64: columns in blocks of 64 (8 accumulators).
rows64:
	CMPQ DX, $64
	JLT  rows32
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	XORQ CX, CX
	XORQ AX, AX
	XORQ BX, BX
	TESTQ R11, R11
	JEQ  rows64_store
rows64_loop:
	VBROADCASTSS (R9)(BX*1), Y14
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 128(SI)(AX*1), Y14, Y4
	VFMADD231PS 160(SI)(AX*1), Y14, Y5
	VFMADD231PS 192(SI)(AX*1), Y14, Y6
	VFMADD231PS 224(SI)(AX*1), Y14, Y7
	ADDQ R8, AX
	ADDQ R10, BX
	INCQ CX
	CMPQ CX, R11
	JLT  rows64_loop
rows64_store:
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ $256, DI
	ADDQ $256, SI
	SUBQ $64, DX
	JMP  rows64

// rows32: columns in blocks of 32 (4 accumulators).
rows32:
	CMPQ DX, $32
	JLT  rows16
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ CX, CX
	XORQ AX, AX
	XORQ BX, BX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  rows32_one
rows32_two:
	VBROADCASTSS (R9)(BX*1), Y14
	ADDQ R10, BX
	VBROADCASTSS (R9)(BX*1), Y15
	LEAQ (AX)(R8*1), R12
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 0(SI)(R12*1), Y15, Y4
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 32(SI)(R12*1), Y15, Y5
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 64(SI)(R12*1), Y15, Y6
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
	VFMADD231PS 96(SI)(R12*1), Y15, Y7
	ADDQ R10, BX
	LEAQ (R12)(R8*1), AX
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  rows32_two
rows32_one:
	CMPQ CX, R11
	JEQ  rows32_store
	VBROADCASTSS (R9)(BX*1), Y14
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 64(SI)(AX*1), Y14, Y2
	VFMADD231PS 96(SI)(AX*1), Y14, Y3
rows32_store:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ $128, DI
	ADDQ $128, SI
	SUBQ $32, DX
	JMP  rows32

// rows16: columns in blocks of 16 (2 accumulators).
rows16:
	CMPQ DX, $16
	JLT  rows8
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ CX, CX
	XORQ AX, AX
	XORQ BX, BX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  rows16_one
rows16_two:
	VBROADCASTSS (R9)(BX*1), Y14
	ADDQ R10, BX
	VBROADCASTSS (R9)(BX*1), Y15
	LEAQ (AX)(R8*1), R12
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 0(SI)(R12*1), Y15, Y2
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
	VFMADD231PS 32(SI)(R12*1), Y15, Y3
	ADDQ R10, BX
	LEAQ (R12)(R8*1), AX
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  rows16_two
rows16_one:
	CMPQ CX, R11
	JEQ  rows16_store
	VBROADCASTSS (R9)(BX*1), Y14
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 32(SI)(AX*1), Y14, Y1
rows16_store:
	VADDPS Y2, Y0, Y0
	VADDPS Y3, Y1, Y1
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $16, DX
	JMP  rows16

// rows8: columns in blocks of 8 (1 accumulator).
rows8:
	CMPQ DX, $8
	JLT  rowsrest
	VMOVUPS 0(DI), Y0
	VXORPS Y1, Y1, Y1
	XORQ CX, CX
	XORQ AX, AX
	XORQ BX, BX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  rows8_one
rows8_two:
	VBROADCASTSS (R9)(BX*1), Y14
	ADDQ R10, BX
	VBROADCASTSS (R9)(BX*1), Y15
	LEAQ (AX)(R8*1), R12
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
	VFMADD231PS 0(SI)(R12*1), Y15, Y1
	ADDQ R10, BX
	LEAQ (R12)(R8*1), AX
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  rows8_two
rows8_one:
	CMPQ CX, R11
	JEQ  rows8_store
	VBROADCASTSS (R9)(BX*1), Y14
	VFMADD231PS 0(SI)(AX*1), Y14, Y0
rows8_store:
	VADDPS Y1, Y0, Y0
	VMOVUPS Y0, 0(DI)
	ADDQ $32, DI
	ADDQ $32, SI
	SUBQ $8, DX
	JMP  rows8

// rowsrest: the last 1 to 7 columns, under a mask.
rowsrest:
	TESTQ DX, DX
	JEQ  rowsdone
	MOVQ $8, AX
	SUBQ DX, AX
	LEAQ tailMask<>(SB), BX
	VMOVDQU (BX)(AX*4), Y13
	VMASKMOVPS 0(DI), Y13, Y0
	VXORPS Y1, Y1, Y1
	XORQ CX, CX
	XORQ AX, AX
	XORQ BX, BX
	MOVQ R11, R13
	ANDQ $-2, R13
	JEQ  rowsrest_one
rowsrest_two:
	VBROADCASTSS (R9)(BX*1), Y14
	ADDQ R10, BX
	VBROADCASTSS (R9)(BX*1), Y15
	LEAQ (AX)(R8*1), R12
	VMASKMOVPS (SI)(AX*1), Y13, Y2
	VMASKMOVPS (SI)(R12*1), Y13, Y3
	VFMADD231PS Y2, Y14, Y0
	VFMADD231PS Y3, Y15, Y1
	ADDQ R10, BX
	LEAQ (R12)(R8*1), AX
	ADDQ $2, CX
	CMPQ CX, R13
	JLT  rowsrest_two
rowsrest_one:
	CMPQ CX, R11
	JEQ  rowsrest_store
	VBROADCASTSS (R9)(BX*1), Y14
	VMASKMOVPS (SI)(AX*1), Y13, Y2
	VFMADD231PS Y2, Y14, Y0
rowsrest_store:
	VADDPS Y1, Y0, Y0
	VMASKMOVPS Y0, Y13, (DI)

rowsdone:
	VZEROUPPER
	RET

// func prefetchFMA(idx []uint16, val []uint8)
//
// Asks for the cache lines of idx and val ahead of their use. A prefetch
// never faults, so any slice will do.
TEXT ·prefetchFMA(SB), NOSPLIT, $0-48
	MOVQ idx_base+0(FP), SI
	MOVQ idx_len+8(FP), CX
	LEAQ (SI)(CX*2), CX

prefetchidx:
	PREFETCHT0 (SI)
	ADDQ       $64, SI
	CMPQ       SI, CX
	JLT        prefetchidx
	MOVQ       val_base+24(FP), SI
	MOVQ       val_len+32(FP), CX
	ADDQ       SI, CX

prefetchval:
	PREFETCHT0 (SI)
	ADDQ       $64, SI
	CMPQ       SI, CX
	JLT        prefetchval
	RET
