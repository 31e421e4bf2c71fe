# postqueue: the program, plus a module test that links the two listing
# formatters (everything but main() in postqueue.c).
POSTQUEUE_OBJS = $(call lib_objs,postqueue)
POSTQUEUE_MOD_OBJS = $(filter-out $(BUILD)/obj/postqueue/postqueue.o,$(POSTQUEUE_OBJS))
PROGRAMS += $(BUILD)/bin/postqueue

$(BUILD)/bin/postqueue: $(POSTQUEUE_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(POSTQUEUE_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/postqueue/postqueue_test: $(BUILD)/obj/postqueue/postqueue_test.o $(POSTQUEUE_MOD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(POSTQUEUE_MOD_OBJS) $(LIBS_A) $(ALL_LIBS)
