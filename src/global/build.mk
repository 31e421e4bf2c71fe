# global: libglobal.a itself is built by the top Makefile. This fragment adds
# the table of which programs use which main.cf parameter, generated from the
# sources by mail_param_users.sh and included by mail_params.c. The script
# runs on every make but rewrites the table only when it changes.
MAIL_PARAM_USERS = $(BUILD)/gen/mail_param_users.h

$(MAIL_PARAM_USERS): mail_param_users_always
	@mkdir -p $(dir $@)
	@sh src/global/mail_param_users.sh src $@

.PHONY: mail_param_users_always
mail_param_users_always:

$(BUILD)/obj/global/mail_params.o: $(MAIL_PARAM_USERS)
$(BUILD)/obj/global/mail_params.o: CFLAGS_ALL += -I$(BUILD)/gen
