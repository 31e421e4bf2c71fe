# pipe: the daemon, plus a module test that links the attribute and
# expansion module (everything but main() in pipe.c).
PIPE_OBJS = $(call lib_objs,pipe)
PIPE_MOD_OBJS = $(filter-out $(BUILD)/obj/pipe/pipe.o,$(PIPE_OBJS))
PROGRAMS += $(BUILD)/bin/pipe

$(BUILD)/bin/pipe: $(PIPE_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(PIPE_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/pipe/pipe_attr_test: $(BUILD)/obj/pipe/pipe_attr_test.o $(PIPE_MOD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(PIPE_MOD_OBJS) $(LIBS_A) $(ALL_LIBS)
