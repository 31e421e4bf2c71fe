# virtual: the daemon, plus a module test of the table interpretation
# (virtual_lookup.c only: the rest needs the daemon's globals).
VIRTUAL_OBJS = $(call lib_objs,virtual)
PROGRAMS += $(BUILD)/bin/virtual

$(BUILD)/bin/virtual: $(VIRTUAL_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(VIRTUAL_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/virtual/virtual_lookup_test: $(BUILD)/obj/virtual/virtual_lookup_test.o $(BUILD)/obj/virtual/virtual_lookup.o $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(BUILD)/obj/virtual/virtual_lookup.o $(LIBS_A) $(ALL_LIBS)
