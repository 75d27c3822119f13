// Command asmgen writes engine/kernels_amd64.s, the AVX2 and FMA kernels
// behind engine's fmaKernels. Run it through go generate in engine:
//
//	go run ./internal/asmgen -out kernels_amd64.s
//
// Without -out it writes the assembly to standard output.
//
// axpyFMA and prefetchFMA are short and written by hand, so they are kept
// here as text. gatherFMA and rowsFMA are generated: each walks dst in
// column blocks of 96, 64, 32, 16 and 8 floats and a masked rest, and every
// block repeats one loop over the entries with a different number of ymm
// accumulators, which is what this program spells out. tileFMA, the
// micro-kernel of the packed matrix product, is generated too: its loop
// body repeats one term's loads and FMAs for each row of the tile and each
// of the terms it unrolls (see tileKernel for its registers).
//
// Register allocation in gatherFMA and rowsFMA. The sixteen ymm registers
// are shared out as follows:
//
//	Y0-Y11  accumulators: a block of 8·n columns keeps its partial sums in
//	        Y0..Y(n-1) for the whole loop over the entries, so dst is
//	        loaded and stored once per block rather than once per entry.
//	Y(n)-Y(2n-1)  a second set of accumulators in blocks of 32 columns or
//	        fewer (n <= 4), which take two entries per iteration.
//	Y12     the 13th, masked, accumulator of the 97-to-103-column tail.
//	Y13     the tail mask.
//	Y14     the current entry's broadcast scale.
//	Y15     the second entry's scale in two-entry loops, or the masked row
//	        load in the 97-to-103-column tail.
//
// Twelve accumulators, one mask and two scales fill the register file, which
// is why the widest block is 96 columns. An FMA has a latency of four or
// five cycles and two can start every cycle, so about ten independent
// accumulations keep the FMA units busy: blocks of 64 and 96 columns have
// eight or twelve per entry, but blocks of 32 columns or fewer have at most
// four, so they add two entries at a time into two sets of accumulators and
// sum the sets once at the end of the block.
//
// The general-purpose registers are documented in the assembly itself, in
// the comments above each TEXT line.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "asmgen:", err)
		os.Exit(1)
	}
}

// run parses the command line and writes the assembly to the -out file, or
// to stdout without one.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("asmgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the assembly to this `file` instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: name the output file with -out", fs.Arg(0))
	}
	src := generate()
	if *out == "" {
		_, err := stdout.Write(src)
		return err
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		return fmt.Errorf("write the assembly: %w", err)
	}
	return nil
}

// generate returns the whole of kernels_amd64.s.
func generate() []byte {
	a := &asm{}
	a.text(fileHead)
	tailMaskData(a)
	a.text(axpyText)
	for _, k := range []kernel{gather{}, rows{}} {
		a.text(k.doc())
		k.loadArgs(a)
		a.blank()
		kernelBody(a, k)
	}
	tileKernel(a)
	a.text(prefetchText)
	return a.buf.Bytes()
}

// asm accumulates assembly source one line at a time.
type asm struct {
	buf bytes.Buffer
}

// text appends s as it is.
func (a *asm) text(s string) { a.buf.WriteString(s) }

// blank appends an empty line.
func (a *asm) blank() { a.buf.WriteByte('\n') }

// comment appends one "//" comment line.
func (a *asm) comment(format string, args ...any) {
	fmt.Fprintf(&a.buf, "// "+format+"\n", args...)
}

// label appends a label line.
func (a *asm) label(format string, args ...any) {
	fmt.Fprintf(&a.buf, format+":\n", args...)
}

// ins appends one instruction: op, padded to four characters so that
// three-letter jumps line up with the four-letter mnemonics around them,
// then its operands formatted from format and args. An empty format writes
// op alone, for instructions without operands.
func (a *asm) ins(op, format string, args ...any) {
	if format == "" {
		fmt.Fprintf(&a.buf, "\t%s\n", op)
		return
	}
	fmt.Fprintf(&a.buf, "\t%-4s %s\n", op, fmt.Sprintf(format, args...))
}

// kernel is what differs between gatherFMA and rowsFMA: their arguments,
// and how the loop over the entries finds each entry's scale and row. In
// both, SI points at the block's first column in the first row (the row at
// offset 0), CX counts the entries, R11 holds their number and R8 the row
// stride in bytes; the rest is theirs to choose.
type kernel interface {
	// prefix starts every label of the kernel.
	prefix() string
	// doc is the comment block and TEXT line of the function.
	doc() string
	// loadArgs moves the arguments from the frame into registers.
	loadArgs(a *asm)
	// addFlag is the frame slot of a flag that says whether dst is added to
	// (nonzero) or overwritten (zero); empty when dst is always added to.
	addFlag() string
	// start sets up a pass over the entries from the first.
	start(a *asm)
	// one broadcasts entry CX's scale into the register scale and returns
	// the register that holds its row's offset from SI.
	one(a *asm, scale string) (row string)
	// nextOne steps from entry CX to entry CX+1.
	nextOne(a *asm)
	// two broadcasts the scales of entries CX and CX+1 into Y14 and Y15 and
	// returns the registers that hold their rows' offsets from SI.
	two(a *asm) (row0, row1 string)
	// nextTwo steps from entry CX to entry CX+2.
	nextTwo(a *asm)
}

// gather is gatherFMA: entry e scales row idx[e] of base by table[val[e]].
type gather struct{}

func (gather) prefix() string  { return "gather" }
func (gather) doc() string     { return gatherDoc }
func (gather) addFlag() string { return "add+112(FP)" }

func (gather) loadArgs(a *asm) {
	a.ins("MOVQ", "dst_base+0(FP), DI")
	a.ins("MOVQ", "dst_len+8(FP), DX")
	a.ins("MOVQ", "base_base+24(FP), SI")
	a.ins("MOVQ", "stride+48(FP), R8")
	a.ins("SHLQ", "$2, R8")
	a.ins("MOVQ", "idx_base+56(FP), R9")
	a.ins("MOVQ", "idx_len+64(FP), R11")
	a.ins("MOVQ", "val_base+80(FP), R10")
	a.ins("MOVQ", "table+104(FP), R12")
}

func (gather) start(a *asm) {
	a.ins("XORQ", "CX, CX")
}

// one looks the scale up in the table by the value byte, then multiplies
// the row index by the stride: both through AX, the scale first.
func (gather) one(a *asm, scale string) string {
	a.ins("MOVBQZX", "(R10)(CX*1), AX")
	a.ins("VBROADCASTSS", "(R12)(AX*4), %s", scale)
	a.ins("MOVWQZX", "(R9)(CX*2), AX")
	a.ins("IMULQ", "R8, AX")
	return "AX"
}

func (gather) nextOne(a *asm) {
	a.ins("INCQ", "CX")
}

func (gather) two(a *asm) (string, string) {
	a.ins("MOVBQZX", "(R10)(CX*1), AX")
	a.ins("VBROADCASTSS", "(R12)(AX*4), Y14")
	a.ins("MOVBQZX", "1(R10)(CX*1), AX")
	a.ins("VBROADCASTSS", "(R12)(AX*4), Y15")
	a.ins("MOVWQZX", "(R9)(CX*2), AX")
	a.ins("MOVWQZX", "2(R9)(CX*2), BX")
	a.ins("IMULQ", "R8, AX")
	a.ins("IMULQ", "R8, BX")
	return "AX", "BX"
}

func (gather) nextTwo(a *asm) {
	a.ins("ADDQ", "$2, CX")
}

// rows is rowsFMA: term t scales row t of b by coef[t·coefStride]. The rows
// are consecutive, so instead of multiplying an index the loop keeps
// running offsets: AX into b and BX into coef.
type rows struct{}

func (rows) prefix() string  { return "rows" }
func (rows) doc() string     { return rowsDoc }
func (rows) addFlag() string { return "" }

func (rows) loadArgs(a *asm) {
	a.ins("MOVQ", "dst_base+0(FP), DI")
	a.ins("MOVQ", "dst_len+8(FP), DX")
	a.ins("MOVQ", "coef_base+24(FP), R9")
	a.ins("MOVQ", "coefStride+48(FP), R10")
	a.ins("SHLQ", "$2, R10")
	a.ins("MOVQ", "k+56(FP), R11")
	a.ins("MOVQ", "b_base+64(FP), SI")
	a.ins("MOVQ", "ldb+88(FP), R8")
	a.ins("SHLQ", "$2, R8")
}

func (rows) start(a *asm) {
	a.ins("XORQ", "CX, CX")
	a.ins("XORQ", "AX, AX")
	a.ins("XORQ", "BX, BX")
}

func (rows) one(a *asm, scale string) string {
	a.ins("VBROADCASTSS", "(R9)(BX*1), %s", scale)
	return "AX"
}

func (rows) nextOne(a *asm) {
	a.ins("ADDQ", "R8, AX")
	a.ins("ADDQ", "R10, BX")
	a.ins("INCQ", "CX")
}

// two leaves BX on the second coefficient and puts the second row's offset
// in R12; nextTwo moves both on past the pair.
func (rows) two(a *asm) (string, string) {
	a.ins("VBROADCASTSS", "(R9)(BX*1), Y14")
	a.ins("ADDQ", "R10, BX")
	a.ins("VBROADCASTSS", "(R9)(BX*1), Y15")
	a.ins("LEAQ", "(AX)(R8*1), R12")
	return "AX", "R12"
}

func (rows) nextTwo(a *asm) {
	a.ins("ADDQ", "R10, BX")
	a.ins("LEAQ", "(R12)(R8*1), AX")
	a.ins("ADDQ", "$2, CX")
}

// kernelBody writes the column blocks of k from the widest down, then the
// masked rest and the return. Each block loops while at least its width of
// columns is left, then falls through to the next narrower one.
func kernelBody(a *asm, k kernel) {
	columnBlock(a, k, 12, "64")
	tailBlock(a, k)
	columnBlock(a, k, 8, "32")
	columnBlock(a, k, 4, "16")
	columnBlock(a, k, 2, "8")
	columnBlock(a, k, 1, "rest")
	restBlock(a, k)
}

// pairedMax is the widest block, in accumulators, that adds two entries
// per iteration: with eight or more accumulators one entry already gives the
// FMA units enough independent work.
const pairedMax = 4

// columnBlock writes the block of 8·n columns held in accumulators
// Y0..Y(n-1), which jumps to the block named next when fewer columns are
// left. The 96-column block also sends 97 to 103 columns to tailBlock.
func columnBlock(a *asm, k kernel, n int, next string) {
	width := 8 * n
	label := fmt.Sprintf("%s%d", k.prefix(), width)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	a.comment("%s: columns in blocks of %d (%d accumulator%s).", label, width, n, plural)
	a.label(label)
	a.ins("CMPQ", "DX, $%d", width)
	a.ins("JLT", "%s%s", k.prefix(), next)
	if n == 12 {
		// Exactly 96 columns take this block; 97 to 103 the tail.
		a.ins("JEQ", "%s_block", label)
		a.ins("CMPQ", "DX, $104")
		a.ins("JLT", "%s96t", k.prefix())
		a.label("%s_block", label)
	}
	initAccumulators(a, k, label, accumulators(n), -1)

	if n > pairedMax {
		singleLoop(a, k, label, func(row string) {
			for r := range n {
				a.ins("VFMADD231PS", "%d(SI)(%s*1), Y14, Y%d", 32*r, row, r)
			}
		})
		a.label("%s_store", label)
	} else {
		for r := n; r < 2*n; r++ {
			a.ins("VXORPS", "Y%d, Y%d, Y%d", r, r, r)
		}
		pairedLoop(a, k, label, func(row0, row1 string) {
			for r := range n {
				a.ins("VFMADD231PS", "%d(SI)(%s*1), Y14, Y%d", 32*r, row0, r)
				a.ins("VFMADD231PS", "%d(SI)(%s*1), Y15, Y%d", 32*r, row1, n+r)
			}
		}, func(row string) {
			for r := range n {
				a.ins("VFMADD231PS", "%d(SI)(%s*1), Y14, Y%d", 32*r, row, r)
			}
		})
		a.label("%s_store", label)
		for r := range n {
			a.ins("VADDPS", "Y%d, Y%d, Y%d", n+r, r, r)
		}
	}
	for r := range n {
		a.ins("VMOVUPS", "Y%d, %d(DI)", r, 32*r)
	}
	a.ins("ADDQ", "$%d, DI", 4*width)
	a.ins("ADDQ", "$%d, SI", 4*width)
	a.ins("SUBQ", "$%d, DX", width)
	a.ins("JMP", "%s", label)
	a.blank()
}

// tailBlock writes the block for the last 97 to 103 columns: twelve full
// accumulators and a masked thirteenth in one pass over the entries. A
// hidden layer of 100 would otherwise pay for a second pass, with its
// broadcasts and address arithmetic, to cover four columns.
func tailBlock(a *asm, k kernel) {
	label := k.prefix() + "96t"
	a.comment("%s: the last 97 to 103 columns (a hidden layer of 100) in one", label)
	a.comment("block of 12 accumulators and one under a mask, rather than two passes")
	a.comment("over the entries.")
	a.label(label)
	// The mask for the DX-96 columns past the twelfth register.
	a.ins("MOVQ", "DX, AX")
	a.ins("SUBQ", "$96, AX")
	a.ins("MOVQ", "$8, BX")
	a.ins("SUBQ", "AX, BX")
	a.ins("LEAQ", "tailMask<>(SB), AX")
	a.ins("VMOVDQU", "(AX)(BX*4), Y13")
	initAccumulators(a, k, label, accumulators(12), 12)
	singleLoop(a, k, label, func(row string) {
		for r := range 12 {
			a.ins("VFMADD231PS", "%d(SI)(%s*1), Y14, Y%d", 32*r, row, r)
		}
		// VFMADD231PS cannot take a mask, so the masked row goes
		// through Y15, free here because entries come one at a time.
		a.ins("VMASKMOVPS", "384(SI)(%s*1), Y13, Y15", row)
		a.ins("VFMADD231PS", "Y15, Y14, Y12")
	})
	a.label("%s_store", label)
	for r := range 12 {
		a.ins("VMOVUPS", "Y%d, %d(DI)", r, 32*r)
	}
	a.ins("VMASKMOVPS", "Y12, Y13, 384(DI)")
	a.ins("JMP", "%sdone", k.prefix())
	a.blank()
}

// restBlock writes the block for the last 1 to 7 columns: one accumulator
// under the mask, two entries at a time into Y0 and Y1 with their masked
// rows loaded into Y2 and Y3. It ends the kernel.
func restBlock(a *asm, k kernel) {
	label := k.prefix() + "rest"
	done := k.prefix() + "done"
	a.comment("%s: the last 1 to 7 columns, under a mask.", label)
	a.label(label)
	a.ins("TESTQ", "DX, DX")
	a.ins("JEQ", "%s", done)
	// The mask for the DX columns left.
	a.ins("MOVQ", "$8, AX")
	a.ins("SUBQ", "DX, AX")
	a.ins("LEAQ", "tailMask<>(SB), BX")
	a.ins("VMOVDQU", "(BX)(AX*4), Y13")
	initAccumulators(a, k, label, nil, 0)
	a.ins("VXORPS", "Y1, Y1, Y1")
	pairedLoop(a, k, label, func(row0, row1 string) {
		a.ins("VMASKMOVPS", "(SI)(%s*1), Y13, Y2", row0)
		a.ins("VMASKMOVPS", "(SI)(%s*1), Y13, Y3", row1)
		a.ins("VFMADD231PS", "Y2, Y14, Y0")
		a.ins("VFMADD231PS", "Y3, Y15, Y1")
	}, func(row string) {
		a.ins("VMASKMOVPS", "(SI)(%s*1), Y13, Y2", row)
		a.ins("VFMADD231PS", "Y2, Y14, Y0")
	})
	a.label("%s_store", label)
	a.ins("VADDPS", "Y1, Y0, Y0")
	a.ins("VMASKMOVPS", "Y0, Y13, (DI)")
	a.blank()
	a.label("%s", done)
	a.ins("VZEROUPPER", "")
	a.ins("RET", "")
	a.blank()
}

// accumulators lists the registers of a block of n accumulators, 0 to n-1.
func accumulators(n int) []int {
	regs := make([]int, n)
	for r := range regs {
		regs[r] = r
	}
	return regs
}

// initAccumulators loads the accumulators regs from dst, register r from
// byte offset 32·r, and the accumulator masked, when not negative, from
// dst under the mask Y13. When k has an add flag and it is zero, they are
// cleared instead, so the kernel overwrites dst without reading it.
func initAccumulators(a *asm, k kernel, label string, regs []int, masked int) {
	flag := k.addFlag()
	if flag != "" {
		a.ins("CMPB", "%s, $0", flag)
		a.ins("JEQ", "%s_zero", label)
	}
	for _, r := range regs {
		a.ins("VMOVUPS", "%d(DI), Y%d", 32*r, r)
	}
	if masked >= 0 {
		a.ins("VMASKMOVPS", "%d(DI), Y13, Y%d", 32*masked, masked)
	}
	if flag == "" {
		return
	}
	a.ins("JMP", "%s_run", label)
	a.label("%s_zero", label)
	for _, r := range regs {
		a.ins("VXORPS", "Y%d, Y%d, Y%d", r, r, r)
	}
	if masked >= 0 {
		a.ins("VXORPS", "Y%d, Y%d, Y%d", masked, masked, masked)
	}
	a.label("%s_run", label)
}

// singleLoop writes a loop that takes the entries one at a time, calling
// add to accumulate the row at offset row from SI scaled by Y14. It leaves
// the label's _store to the caller, where an empty list of entries jumps.
func singleLoop(a *asm, k kernel, label string, add func(row string)) {
	k.start(a)
	a.ins("TESTQ", "R11, R11")
	a.ins("JEQ", "%s_store", label)
	a.label("%s_loop", label)
	add(k.one(a, "Y14"))
	k.nextOne(a)
	a.ins("CMPQ", "CX, R11")
	a.ins("JLT", "%s_loop", label)
}

// pairedLoop writes a loop that takes the entries two at a time, calling
// addTwo to accumulate both rows (scaled by Y14 and Y15) into separate
// accumulators, then addOne for the odd entry left over, if any. R13 holds
// the even part of the number of entries. It leaves the label's _store to
// the caller, which must sum the two sets of accumulators there.
func pairedLoop(a *asm, k kernel, label string, addTwo func(row0, row1 string), addOne func(row string)) {
	k.start(a)
	a.ins("MOVQ", "R11, R13")
	a.ins("ANDQ", "$-2, R13")
	a.ins("JEQ", "%s_one", label)
	a.label("%s_two", label)
	addTwo(k.two(a))
	k.nextTwo(a)
	a.ins("CMPQ", "CX, R13")
	a.ins("JLT", "%s_two", label)
	a.label("%s_one", label)
	a.ins("CMPQ", "CX, R11")
	a.ins("JEQ", "%s_store", label)
	addOne(k.one(a, "Y14"))
}

// Tile sizes of tileFMA: a tile of C is tileRows×tileCols, held in
// tileRows·tileCols/8 ymm accumulators.
const (
	tileRows = 6
	tileCols = 16
	// tileUnroll is how many terms of k one pass of the loop adds.
	tileUnroll = 4
)

// tileKernel writes tileFMA, the micro-kernel of the packed matrix
// product. It adds to a 6×16 tile of C the product of a packed panel of A
// (k groups of 6 values, one per row) and a packed panel of B (k groups of
// 16 values, one per column).
//
// Registers: Y0-Y11 hold the tile, row r in Y(2r) and Y(2r+1), for the
// whole loop over k; Y12 and Y13 the current 16 values of B; Y14 and Y15
// the broadcast values of A, alternating between rows so that a broadcast
// can start while the FMAs of the previous row use the other. Each term is
// 12 independent FMAs on 2 loads of B and 6 broadcasts, enough to keep both
// FMA units busy (latency 4, throughput 2 a cycle: 8 would do).
func tileKernel(a *asm) {
	a.text(tileDoc)
	a.ins("MOVQ", "k+0(FP), CX")
	a.ins("MOVQ", "a_base+8(FP), SI")
	a.ins("MOVQ", "b_base+32(FP), DX")
	a.ins("MOVQ", "c_base+56(FP), DI")
	a.ins("MOVQ", "ldc+80(FP), R8")
	a.ins("SHLQ", "$2, R8")
	for r := range 2 * tileRows {
		a.ins("VXORPS", "Y%d, Y%d, Y%d", r, r, r)
	}
	term := func(t int) {
		a.ins("VMOVUPS", "%d(DX), Y12", 4*tileCols*t)
		a.ins("VMOVUPS", "%d(DX), Y13", 4*tileCols*t+32)
		for r := range tileRows {
			scale := 14 + r%2
			a.ins("VBROADCASTSS", "%d(SI), Y%d", 4*(tileRows*t+r), scale)
			a.ins("VFMADD231PS", "Y12, Y%d, Y%d", scale, 2*r)
			a.ins("VFMADD231PS", "Y13, Y%d, Y%d", scale, 2*r+1)
		}
	}
	a.comment("tile%d: %d terms at a time.", tileUnroll, tileUnroll)
	a.label("tile%d", tileUnroll)
	a.ins("CMPQ", "CX, $%d", tileUnroll)
	a.ins("JLT", "tile1")
	for t := range tileUnroll {
		term(t)
	}
	a.ins("ADDQ", "$%d, SI", 4*tileRows*tileUnroll)
	a.ins("ADDQ", "$%d, DX", 4*tileCols*tileUnroll)
	a.ins("SUBQ", "$%d, CX", tileUnroll)
	a.ins("JMP", "tile%d", tileUnroll)
	a.blank()
	a.comment("tile1: the last terms, one at a time.")
	a.label("tile1")
	a.ins("TESTQ", "CX, CX")
	a.ins("JEQ", "tilestore")
	term(0)
	a.ins("ADDQ", "$%d, SI", 4*tileRows)
	a.ins("ADDQ", "$%d, DX", 4*tileCols)
	a.ins("DECQ", "CX")
	a.ins("JMP", "tile1")
	a.blank()
	a.comment("tilestore: add the tile into C, one row of 16 at a time, or with")
	a.comment("add false store it there.")
	a.label("tilestore")
	a.ins("CMPB", "add+88(FP), $0")
	a.ins("JEQ", "tileset")
	for r := range tileRows {
		a.ins("VADDPS", "(DI), Y%d, Y%d", 2*r, 2*r)
		a.ins("VADDPS", "32(DI), Y%d, Y%d", 2*r+1, 2*r+1)
		a.ins("VMOVUPS", "Y%d, (DI)", 2*r)
		a.ins("VMOVUPS", "Y%d, 32(DI)", 2*r+1)
		if r < tileRows-1 {
			a.ins("ADDQ", "R8, DI")
		}
	}
	a.ins("VZEROUPPER", "")
	a.ins("RET", "")
	a.blank()
	a.label("tileset")
	for r := range tileRows {
		a.ins("VMOVUPS", "Y%d, (DI)", 2*r)
		a.ins("VMOVUPS", "Y%d, 32(DI)", 2*r+1)
		if r < tileRows-1 {
			a.ins("ADDQ", "R8, DI")
		}
	}
	a.ins("VZEROUPPER", "")
	a.ins("RET", "")
	a.blank()
}

// tileDoc is tileFMA's comment and TEXT line.
const tileDoc = `// func tileFMA(k int, a, b, c []float32, ldc int, add bool)
//
// c[r·ldc+j] += Σ a[6t+r]·b[16t+j] over t < k, for r < 6 and j < 16, or
// c[r·ldc+j] = the sum when add is false: one 6×16 tile of a matrix
// product from packed panels of A and B. The caller
// guarantees len(a) >= 6k, len(b) >= 16k, ldc >= 16 and len(c) >= 5·ldc+16.
//
// Registers: CX the terms left, SI a, DX b, DI the row of c, R8 ldc in
// bytes, Y0-Y11 the tile, Y12-Y13 a term's values of B, Y14-Y15 the
// broadcast values of A.
TEXT ·tileFMA(SB), NOSPLIT, $0-89
`

// tailMaskData writes tailMask<>: 8 lanes of all ones, then 8 of zeros.
func tailMaskData(a *asm) {
	for lane := range 16 {
		v := "0xffffffff"
		if lane >= 8 {
			v = "0"
		}
		a.text(fmt.Sprintf("DATA tailMask<>+%d(SB)/4, $%s\n", 4*lane, v))
	}
	a.text("GLOBL tailMask<>(SB), RODATA|NOPTR, $64\n")
	a.blank()
}

// fileHead opens the file, up to the tail mask's data.
const fileHead = `// Code generated by go run ./internal/asmgen; DO NOT EDIT.

//go:build !purego

#include "textflag.h"

// tailMask<> holds eight all-ones lanes then eight zero lanes: the 32 bytes
// from lane 8-n on select the first n lanes of a ymm register, which is how
// VMASKMOVPS touches only the last n < 8 columns of a row and never reads
// past the end of a slice.
`

// axpyText is axpyFMA, written by hand and laid out by asmfmt.
const axpyText = `// func axpyFMA(alpha float32, x, y []float32)
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

`

// gatherDoc is gatherFMA's comment and TEXT line.
const gatherDoc = `// func gatherFMA(dst, base []float32, stride int, idx []uint16, val []uint8, table *[256]float32, add bool)
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
`

// rowsDoc is rowsFMA's comment and TEXT line.
const rowsDoc = `// func rowsFMA(dst, coef []float32, coefStride, k int, b []float32, ldb int)
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
`

// prefetchText is prefetchFMA, written by hand and laid out by asmfmt.
const prefetchText = `// func prefetchFMA(idx []uint16, val []uint8)
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
`
