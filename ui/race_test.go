package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/lessons"
	"github.com/mnistplayground/mnistplayground/ui/training"
)

// deepUIConfig is two ReLU layers of 16, for races.
func deepUIConfig(epochs int) *engine.TrainConfig {
	c := smallConfig(epochs)
	c.Arch = engine.MNISTArch([]int{16, 16}, []engine.Activation{engine.ReLU, engine.ReLU}, engine.CrossEntropy)
	return c
}

// solo trains cfg alone on data to its end and returns its losses.
func solo(t *testing.T, cfg engine.TrainConfig, data *engine.MNIST) []float32 {
	t.Helper()
	s, err := engine.NewSession(cfg, data, engine.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range s.Snapshots() {
		}
	}()
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s.Latest().TrainLoss
}

// TestRaceOfActivations races sigmoid against ReLU with one key: the
// settings show the sigmoid run, the ReLU run is kept and shown as it
// trains, both end at the same step, and each trained exactly as it would
// have alone from the same seed.
func TestRaceOfActivations(t *testing.T) {
	data := tinyMNIST()
	h := newHarness(t, Options{Config: deepUIConfig(2), LoadData: func() (*engine.MNIST, error) { return data, nil }})
	p := h.p
	p.raceActivations()
	if len(p.ws.Kept) != 1 || !p.ws.Kept[0].Racing() || !p.ws.Kept[0].Shown {
		t.Fatalf("kept runs %+v, want the ReLU run racing and shown", p.ws.Kept)
	}
	if got := p.views.settings.Layers[1].Act.Selected; got != "sigmoid" {
		t.Errorf("the settings show %q, want the current run's sigmoid", got)
	}
	if got := p.ws.Kept[0].Name; !strings.Contains(got, "relu") {
		t.Errorf("the rival is named %q, want its activation", got)
	}
	if _, ok := p.views.training.Charts()[0].Key.(training.CompareKey); !ok {
		t.Error("the loss chart does not compare the racing runs")
	}
	// The rival's line in Runs follows it as it trains.
	seen := map[int]bool{}
	h.until("the race to end", func() bool {
		seen[p.ws.Kept[0].Final.Step] = true
		return p.ws.Run.Ended && !p.ws.Racing()
	})
	if len(seen) < 2 {
		t.Error("the racing run's kept snapshot never moved")
	}
	cur, rival := p.ws.Last, p.ws.Kept[0].Final
	want := 2 * (data.Train.Len() / 50)
	if cur.Step != want || rival.Step != want || cur.State != engine.Done || rival.State != engine.Done {
		t.Fatalf("ended at steps %d (%v) and %d (%v), want both %d and done", cur.Step, cur.State, rival.Step, rival.State, want)
	}
	if !strings.Contains(p.views.runs.Rows[0].About.Text, "2 epochs") || p.views.runs.Rows[0].Restore.Disabled() {
		t.Errorf("the ended rival's line: %q, Use disabled %v", p.views.runs.Rows[0].About.Text, p.views.runs.Rows[0].Restore.Disabled())
	}
	if !slices.Equal(cur.TrainLoss, solo(t, cur.Config, data)) || !slices.Equal(rival.TrainLoss, solo(t, rival.Config, data)) {
		t.Error("a raced run trained otherwise than alone from the same seed")
	}
	if cur.Config.Seed != rival.Config.Seed || cur.Config.Init != rival.Config.Init {
		t.Error("the race's runs do not share their seed and initialisation")
	}
}

// TestRacePausesAndStepsLevel: Space pauses both runs at the same step, S
// steps both, and Reset ends the race keeping both runs.
func TestRacePausesAndStepsLevel(t *testing.T) {
	h := newHarness(t, Options{Config: deepUIConfig(0)})
	p := h.p
	p.raceRates()
	h.until("a few steps", func() bool { return h.step() > 5 })
	p.start() // Space: pause
	h.until("both paused", func() bool {
		return h.state() == engine.Paused && p.ws.Kept[0].Final.State == engine.Paused
	})
	a, b := h.step(), p.ws.Kept[0].Final.Step
	if a != b {
		t.Fatalf("paused at steps %d and %d, want level", a, b)
	}
	p.step()
	h.until("a step of each", func() bool { return h.step() == a+1 && p.ws.Kept[0].Final.Step == a+1 })
	if !p.ws.Run.Paused() {
		t.Error("the race is not paused after a step")
	}
	p.start() // Space: resume both
	h.until("both running", func() bool { return h.step() > a+3 && p.ws.Kept[0].Final.Step > a+3 })
	// The pad compares with the racing run and follows it as it trains.
	d := p.views.draw
	h.drawSeven()
	d.CompareWith(0)
	h.until("the racing network's answer on the pad", func() bool {
		sh := d.Shown()
		return sh.OtherProbabilities() != nil && sh.Explanation() != nil &&
			closeTo(sh.OtherProbabilities(), p.ws.Kept[0].Final.Model.Predict(sh.Explanation().Input))
	})
	if name, _ := d.Probs.Comparing(); name != p.ws.Kept[0].Name {
		t.Errorf("the pad compares with %q, want the racing run", name)
	}
	if got := d.Probs.OwnName(); got != p.ws.CurrentName() || got == "current" {
		t.Errorf("the pad names its own network %q, want the race's name %q", got, p.ws.CurrentName())
	}
	p.resetNow()
	h.until("the race to end", func() bool { return !p.ws.Racing() })
	if len(p.ws.Kept) != 2 {
		t.Fatalf("after Reset the kept runs are %d, want the rival and the current run", len(p.ws.Kept))
	}
	if small, large := p.ws.Kept[1].Final.Config.LR, p.ws.Kept[0].Final.Config.LR; small*3000 < large*0.999 || small*3000 > large*1.001 {
		t.Errorf("raced rates %g and %g, want 1/100 and 30 times the settings'", small, large)
	}
}

// TestRaceTheLastRun trains a run, changes the learning rate and races the
// new settings against the old ones from the same seed.
func TestRaceTheLastRun(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	p.raceLastRun()
	if !strings.Contains(p.ws.Message, "Nothing to race") {
		t.Errorf("with no run kept: %q", p.ws.Message)
	}
	p.start()
	h.until("the first run", func() bool { return p.ws.Run != nil && p.ws.Run.Ended && h.state() == engine.Done })
	first := p.ws.Last.Config
	p.views.settings.LR.SetText("0.02")
	p.views.settings.LR.FocusLost()
	p.raceLastRun()
	p.TypedKey(&fyneReturn) // discard the trained network: it is kept
	h.until("the race to end", func() bool { return p.ws.Run.Race != nil && p.ws.Run.Ended && !p.ws.Racing() })
	if p.ws.Last.Config.LR != 0.02 {
		t.Errorf("the current run trained at %g, want the settings' 0.02", p.ws.Last.Config.LR)
	}
	rival := p.ws.Kept[len(p.ws.Kept)-1].Final
	if rival.Config.LR != first.LR || rival.Step != p.ws.Last.Step {
		t.Errorf("the rival trained at %g to step %d, want the last run's %g to step %d", rival.Config.LR, rival.Step, first.LR, p.ws.Last.Step)
	}
}

// TestRaceLessonRacesEveryRun races the initialisation lesson's three runs,
// named by the lesson, paused until Space.
func TestRaceLessonRacesEveryRun(t *testing.T) {
	ls, errs := lessons.Builtin()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	i := slices.IndexFunc(ls, func(l lessons.Lesson) bool { return len(l.Runs) == 3 })
	if i < 0 {
		t.Fatal("no lesson of three runs")
	}
	l := ls[i]
	for k := range l.Runs {
		l.Runs[k].Config.Arch.Hidden = []int{16} // small enough for a test
		l.Runs[k].Config.Arch.Acts = l.Runs[k].Config.Arch.Acts[:1]
		l.Runs[k].Config.Batch = 50
	}
	h := newHarness(t, Options{})
	p := h.p
	p.raceLesson(l)
	if !strings.Contains(p.dialogs.last.message, "Press Space") || p.ws.CurrentName() != l.Runs[0].Label {
		t.Errorf("the lesson's dialog %q, current run %q", p.dialogs.last.message, p.ws.CurrentName())
	}
	if len(p.ws.Kept) != 2 || p.ws.Kept[0].Name != l.Runs[1].Label || p.ws.Kept[1].Name != l.Runs[2].Label {
		t.Fatalf("kept %+v, want the lesson's second and third runs", p.ws.Kept)
	}
	h.loop.pump(50e6)
	if h.step() != 0 {
		t.Fatal("the race trained before Space")
	}
	p.TypedKey(&fyneReturn) // OK
	p.start()
	h.until("all three to train", func() bool {
		return h.step() >= 10 && p.ws.Kept[0].Final.Step >= 10 && p.ws.Kept[1].Final.Step >= 10
	})
}
