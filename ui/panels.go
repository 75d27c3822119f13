package ui

import (
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// panel is one view in the window's main area.
type panel struct {
	name    string
	content fyne.CanvasObject
	// width is the width, in multiples of the theme's text size, below
	// which the panel is better shown as a tab than squeezed beside others.
	width float32
}

// panels lays out the views side by side when the window is wide enough,
// and groups them under tabs when it is not: at 1920 points every view has
// a column, at 1280 the training and layer charts share one, and on a
// projector at 1.5 times the scale (683 points) one view shows beside the
// settings, or on its own. Nothing is ever squeezed below its minimum.
type panels struct {
	list []*panel
	// arrangements are the ways of grouping the panels into columns, from
	// the widest to the narrowest: each is a list of columns, each a list
	// of panel indices. The first that fits is used.
	arrangements [][][]int
	tabs         map[string]*tabBar // by group
	seps         []fyne.CanvasObject
	recent       []int   // panel indices, the most recently chosen first
	current      int     // the arrangement in force
	active       [][]int // its columns without the hidden panels
	// hidden panels are left out of every arrangement: the settings, in
	// presentation mode.
	hidden  map[int]bool
	content *fyne.Container
	// changed is called when the panels on show change.
	changed func()
	kit     *widgets.Kit
}

// tabBar is the row of tab buttons over a group of panels.
type tabBar struct {
	buttons []*labelled
	row     *fyne.Container
}

func newPanels(kit *widgets.Kit, list []*panel, arrangements [][][]int, changed func()) *panels {
	p := &panels{list: list, arrangements: arrangements, tabs: map[string]*tabBar{}, changed: changed, current: -1, hidden: map[int]bool{}}
	objs := []fyne.CanvasObject{}
	for i, pl := range list {
		p.recent = append(p.recent, i)
		objs = append(objs, pl.content)
	}
	most := 0
	for _, a := range arrangements {
		most = max(most, len(a)-1)
		for _, g := range a {
			if len(g) < 2 || p.tabs[groupKey(g)] != nil {
				continue
			}
			t := p.makeTabBar(kit, g)
			p.tabs[groupKey(g)] = t
			objs = append(objs, t.row)
		}
	}
	for range most {
		s := widget.NewSeparator()
		p.seps = append(p.seps, s)
		objs = append(objs, s)
	}
	p.kit = kit
	p.content = container.New(p, objs...)
	return p
}

// makeTabBar makes the tab bar of group g.
func (p *panels) makeTabBar(kit *widgets.Kit, g []int) *tabBar {
	t := &tabBar{}
	var row []fyne.CanvasObject
	for _, i := range g {
		b := &labelled{b: kit.Button("", nil, func() { p.choose(i) })}
		name := p.list[i].name
		b.full, b.short, b.tiny = name+" (Ctrl+"+strconv.Itoa((i+1)%10)+")", name, name
		t.buttons = append(t.buttons, b)
		row = append(row, b.b)
	}
	t.row = newBarRow(t.buttons, row...)
	return t
}

// newTabBar makes the tab bar of a group that no arrangement names (one
// that lost a hidden panel) and adds it to the panels.
func (p *panels) newTabBar(g []int) *tabBar {
	t := p.makeTabBar(p.kit, g)
	p.tabs[groupKey(g)] = t
	p.content.Objects = append(p.content.Objects, t.row)
	return t
}

func groupKey(g []int) string {
	b := make([]byte, len(g))
	for i, v := range g {
		b[i] = byte('0' + v)
	}
	return string(b)
}

// hide leaves panel i out of the layout, or brings it back.
func (p *panels) hide(i int, hidden bool) {
	if p.hidden[i] == hidden {
		return
	}
	p.hidden[i] = hidden
	if p.current >= 0 {
		p.active = p.arrangement(p.current)
	}
	p.content.Refresh()
	if p.changed != nil {
		p.changed()
	}
}

// arrangement k without the hidden panels.
func (p *panels) arrangement(k int) [][]int {
	var out [][]int
	for _, g := range p.arrangements[k] {
		var kept []int
		for _, i := range g {
			if !p.hidden[i] {
				kept = append(kept, i)
			}
		}
		if len(kept) > 0 {
			out = append(out, kept)
		}
	}
	return out
}

// choose brings panel i to the front of its group.
func (p *panels) choose(i int) {
	p.recent = slices.DeleteFunc(p.recent, func(v int) bool { return v == i })
	p.recent = append([]int{i}, p.recent...)
	p.content.Refresh()
	if p.changed != nil {
		p.changed()
	}
}

// cycle brings the next panel of the group that holds panel i to the
// front: the V key's way through the charts.
func (p *panels) cycle(i int) {
	if p.current < 0 {
		return
	}
	for _, g := range p.active {
		if k := slices.Index(g, i); k >= 0 && len(g) > 1 {
			front := p.front(g)
			p.choose(g[(slices.Index(g, front)+1)%len(g)])
			return
		}
	}
}

// front is the panel of group g on show: the one chosen most recently.
func (p *panels) front(g []int) int {
	for _, i := range p.recent {
		if slices.Contains(g, i) {
			return i
		}
	}
	return g[0]
}

// shown reports whether panel i is on show.
func (p *panels) shown(i int) bool {
	for _, g := range p.active {
		if slices.Contains(g, i) {
			return p.front(g) == i
		}
	}
	return false
}

// colWidth is the width a column of group g wants.
func (p *panels) colWidth(g []int) float32 {
	var w float32
	for _, i := range g {
		w = max(w, p.list[i].content.MinSize().Width, widgets.Ems(p.list[i].width))
	}
	// A group's tabs wrap onto more rows when they do not fit in one, so
	// they do not widen the column.
	return w
}

// choice returns the first arrangement that fits width.
func (p *panels) choice(width float32) int {
	sep := theme.SeparatorThicknessSize() + 2*theme.Padding()
	for k := range p.arrangements {
		a := p.arrangement(k)
		need := float32(len(a)-1) * sep
		for _, g := range a {
			need += p.colWidth(g)
		}
		if need <= width {
			return k
		}
	}
	return len(p.arrangements) - 1
}

// Layout places the columns of the arrangement that fits: the first
// column (the settings) at its own width, the others sharing the rest in
// proportion to the widths they want.
func (p *panels) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	k := p.choice(size.Width)
	changed := k != p.current
	p.current = k
	a := p.arrangement(k)
	p.active = a
	pad := theme.Padding()
	sep := theme.SeparatorThicknessSize()
	widths := make([]float32, len(a))
	var fixed, want float32
	for c, g := range a {
		widths[c] = p.colWidth(g)
		if c == 0 && len(a) > 1 {
			fixed += widths[c]
		} else {
			want += widths[c]
		}
	}
	spare := size.Width - fixed - float32(len(a)-1)*(sep+2*pad)
	for c := range a {
		if c > 0 || len(a) == 1 {
			widths[c] = max(widths[c], spare*widths[c]/max(want, 1))
		}
	}
	shown := map[fyne.CanvasObject]bool{}
	x := float32(0)
	for c, g := range a {
		y := float32(0)
		t := p.tabs[groupKey(g)]
		if len(g) > 1 && t == nil {
			// A group that lost a hidden panel has a tab bar of its own.
			t = p.newTabBar(g)
		}
		if len(g) > 1 {
			front := p.front(g)
			for j, b := range t.buttons {
				imp := widget.LowImportance
				if g[j] == front {
					imp = widget.HighImportance
				}
				if b.b.Importance != imp {
					b.b.Importance = imp
					b.b.Refresh()
				}
			}
			h := t.row.MinSize().Height
			t.row.Move(fyne.NewPos(x, 0))
			t.row.Resize(fyne.NewSize(widths[c], h))
			shown[t.row] = true
			y = h + pad
		}
		o := p.list[p.front(g)].content
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(widths[c], max(0, size.Height-y)))
		shown[o] = true
		x += widths[c]
		if c < len(a)-1 {
			s := p.seps[c]
			s.Move(fyne.NewPos(x+pad, 0))
			s.Resize(fyne.NewSize(sep, size.Height))
			shown[s] = true
			x += sep + 2*pad
		}
	}
	for _, o := range p.content.Objects {
		switch {
		case shown[o] && !o.Visible():
			o.Show()
			changed = true
		case !shown[o] && o.Visible():
			o.Hide()
			changed = true
		}
	}
	if changed && p.changed != nil {
		p.changed()
	}
}

// MinSize is the narrowest arrangement's: one column of tabs.
func (p *panels) MinSize([]fyne.CanvasObject) fyne.Size {
	a := p.arrangement(len(p.arrangements) - 1)
	var w, h float32
	sep := theme.SeparatorThicknessSize() + 2*theme.Padding()
	for c, g := range a {
		var cw, ch float32
		for _, i := range g {
			m := p.list[i].content.MinSize()
			cw, ch = max(cw, m.Width), max(ch, m.Height)
		}
		if t := p.tabs[groupKey(g)]; len(g) > 1 && t != nil {
			m := t.row.MinSize()
			cw = max(cw, m.Width)
			ch += m.Height + theme.Padding()
		}
		w += cw
		if c > 0 {
			w += sep
		}
		h = max(h, ch)
	}
	return fyne.NewSize(w, h)
}

var _ fyne.Layout = (*panels)(nil)
