# smtpd: the daemon, plus a module test of the access checks that links
# the smtpd_check*.c modules (not the protocol engine) and supplies its
# own address resolver and session state.
SMTPD_OBJS = $(call lib_objs,smtpd)
SMTPD_CHECK_OBJS = $(filter $(BUILD)/obj/smtpd/smtpd_check%.o $(BUILD)/obj/smtpd/smtpd_dnsbl.o \
	$(BUILD)/obj/smtpd/smtpd_policy.o $(BUILD)/obj/smtpd/smtpd_resolve.o,$(SMTPD_OBJS))
PROGRAMS += $(BUILD)/bin/smtpd

$(BUILD)/bin/smtpd: $(SMTPD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(SMTPD_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/smtpd/smtpd_check_test: $(BUILD)/obj/smtpd/smtpd_check_test.o $(SMTPD_CHECK_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(SMTPD_CHECK_OBJS) $(LIBS_A) $(ALL_LIBS)
