#ifndef MAIL_PROTO_H
#define MAIL_PROTO_H

/*
 * mail_proto - names shared by the daemons' internal protocols: services,
 * protocol announcements, attribute names, requests and trigger bytes. The
 * values are Postfix's, so the wire format is the one Postfix daemons use.
 * Every exchange runs over the attribute protocol (src/util/attr.h).
 */

/* Service names: sockets under public/ or private/ of queue_directory. */
#define MAIL_CLASS_PUBLIC "public"
#define MAIL_CLASS_PRIVATE "private"

#define MAIL_SERVICE_BOUNCE "bounce"
#define MAIL_SERVICE_CLEANUP "cleanup"
#define MAIL_SERVICE_DEFER "defer"
#define MAIL_SERVICE_FORWARD "forward"
#define MAIL_SERVICE_LOCAL "local"
#define MAIL_SERVICE_PICKUP "pickup"
#define MAIL_SERVICE_QUEUE "qmgr"
#define MAIL_SERVICE_TLSMGR "tlsmgr"
#define MAIL_SERVICE_RESOLVE "resolve"
#define MAIL_SERVICE_REWRITE "rewrite"
#define MAIL_SERVICE_VIRTUAL "virtual"
#define MAIL_SERVICE_ERROR "error"
#define MAIL_SERVICE_FLUSH "flush"
#define MAIL_SERVICE_VERIFY "verify"
#define MAIL_SERVICE_TRACE "trace"
#define MAIL_SERVICE_RELAY "relay"
#define MAIL_SERVICE_PROXYMAP "proxymap"
#define MAIL_SERVICE_PROXYWRITE "proxywrite"
#define MAIL_SERVICE_SCACHE "scache"
#define MAIL_SERVICE_DNSBLOG "dnsblog"
#define MAIL_SERVICE_TLSPROXY "tlsproxy"
#define MAIL_SERVICE_POSTSCREEN "postscreen"
#define MAIL_SERVICE_RETRY "retry"
#define MAIL_SERVICE_SHOWQ "showq"
#define MAIL_SERVICE_ANVIL "anvil"
#define MAIL_SERVICE_POSTLOG "postlog"

/* Protocol announcements: a server's first words on a new connection. */
#define MAIL_ATTR_PROTO "protocol"
#define MAIL_ATTR_PROTO_CLEANUP "cleanup_protocol"
#define MAIL_ATTR_PROTO_DELIVER "delivery_request_protocol"
#define MAIL_ATTR_PROTO_BOUNCE "delivery_status_protocol"
#define MAIL_ATTR_PROTO_TRIVIAL "trivial_rewrite_protocol"
#define MAIL_ATTR_PROTO_FLUSH "queue_flush_protocol"
#define MAIL_ATTR_PROTO_POSTDROP "postdrop_protocol"
#define MAIL_ATTR_PROTO_PROXYMAP "proxymap_protocol"
#define MAIL_ATTR_PROTO_SCACHE "connection_cache_protocol"
#define MAIL_ATTR_PROTO_SHOWQ "mail_queue_list_protocol"
#define MAIL_ATTR_PROTO_TLSMGR "tlsmgr_protocol"
#define MAIL_ATTR_PROTO_TLSPROXY "tlsproxy_protocol"
#define MAIL_ATTR_PROTO_ANVIL "anvil_protocol"
#define MAIL_ATTR_PROTO_VERIFY "address_verification_prrotocol" /* sic, as on the wire */
#define MAIL_ATTR_PROTO_POLICY "smtpd_access_policy"

/* Attribute names. */
#define MAIL_ATTR_REQ "request"
#define MAIL_ATTR_NREQ "nrequest"
#define MAIL_ATTR_STATUS "status"
#define MAIL_ATTR_FLAGS "flags"
#define MAIL_ATTR_QUEUE "queue_name"
#define MAIL_ATTR_QUEUEID "queue_id"
#define MAIL_ATTR_SENDER "sender"
#define MAIL_ATTR_RCPT_COUNT "recipient_count"
#define MAIL_ATTR_ORCPT "original_recipient"
#define MAIL_ATTR_RECIP "recipient"
#define MAIL_ATTR_WHY "reason"
#define MAIL_ATTR_VERPDL "verp_delimiters"
#define MAIL_ATTR_SITE "site"
#define MAIL_ATTR_OFFSET "offset"
#define MAIL_ATTR_SIZE "size"
#define MAIL_ATTR_ERRTO "errors-to"
#define MAIL_ATTR_RRCPT "return-receipt"
#define MAIL_ATTR_TIME "time"
#define MAIL_ATTR_LOCALTIME "localtime"
#define MAIL_ATTR_CREATE_TIME "create_time"
#define MAIL_ATTR_RULE "rule"
#define MAIL_ATTR_ADDR "address"
#define MAIL_ATTR_TRANSPORT "transport"
#define MAIL_ATTR_NEXTHOP "nexthop"
#define MAIL_ATTR_TRACE_FLAGS "trace_flags"
#define MAIL_ATTR_ADDR_STATUS "recipient_status" /* Postfix's wire name */
#define MAIL_ATTR_ACTION "action"
#define MAIL_ATTR_TABLE "table"
#define MAIL_ATTR_KEY "key"
#define MAIL_ATTR_VALUE "value"
#define MAIL_ATTR_INSTANCE "instance"
#define MAIL_ATTR_SASL_METHOD "sasl_method"
#define MAIL_ATTR_SASL_USERNAME "sasl_username"
#define MAIL_ATTR_SASL_SENDER "sasl_sender"
#define MAIL_ATTR_ENCODING "encoding"
#define MAIL_ATTR_ENC_8BIT "8bit"
#define MAIL_ATTR_ENC_7BIT "7bit"
#define MAIL_ATTR_ENC_NONE ""
#define MAIL_ATTR_SENDOPTS "sendopts"
#define MAIL_ATTR_SMTPUTF8 "smtputf8"
#define MAIL_ATTR_LOG_IDENT "log_ident"
#define MAIL_ATTR_RWR_CONTEXT "rewrite_context"
#define MAIL_ATTR_RWR_LOCAL "local"
#define MAIL_ATTR_RWR_REMOTE "remote"
#define MAIL_ATTR_TTL "ttl"
#define MAIL_ATTR_LABEL "label"
#define MAIL_ATTR_PROP "property"
#define MAIL_ATTR_FUNC "function"
#define MAIL_ATTR_CCERT_SUBJECT "ccert_subject"
#define MAIL_ATTR_CCERT_ISSUER "ccert_issuer"
#define MAIL_ATTR_CCERT_CERT_FPRINT "ccert_fingerprint"
#define MAIL_ATTR_CCERT_PKEY_FPRINT "ccert_pubkey_fingerprint"
#define MAIL_ATTR_CRYPTO_PROTOCOL "encryption_protocol"
#define MAIL_ATTR_CRYPTO_CIPHER "encryption_cipher"
#define MAIL_ATTR_CRYPTO_KEYSIZE "encryption_keysize"
#define MAIL_ATTR_TLS_SNI "tls_sni"
#define MAIL_ATTR_COMPAT_LEVEL "compatibility_level"
#define MAIL_ATTR_MAIL_VERSION "mail_version"
#define MAIL_ATTR_STRESS "stress"
#define MAIL_ATTR_POL_CONTEXT "policy_context"
#define MAIL_ATTR_MESSAGE_ID "message_id"
#define MAIL_ATTR_LOG_CLASS "log_class"
#define MAIL_ATTR_FORCED_EXPIRE "forced_expire"

/* Client attributes, as received (ACTUAL) and as logged (LOG_). */
#define MAIL_ATTR_ACT_CLIENT "client"
#define MAIL_ATTR_ACT_CLIENT_NAME "client_name"
#define MAIL_ATTR_ACT_REVERSE_CLIENT_NAME "reverse_client_name"
#define MAIL_ATTR_ACT_CLIENT_ADDR "client_address"
#define MAIL_ATTR_ACT_CLIENT_PORT "client_port"
#define MAIL_ATTR_ACT_CLIENT_AF "client_address_type"
#define MAIL_ATTR_ACT_HELO_NAME "helo_name"
#define MAIL_ATTR_ACT_PROTO_NAME "protocol_name"
#define MAIL_ATTR_ACT_SERVER_ADDR "server_address"
#define MAIL_ATTR_ACT_SERVER_PORT "server_port"
#define MAIL_ATTR_ACT_PROTO_STATE "protocol_state"
#define MAIL_ATTR_LOG_CLIENT_NAME "log_client_name"
#define MAIL_ATTR_LOG_CLIENT_ADDR "log_client_address"
#define MAIL_ATTR_LOG_CLIENT_PORT "log_client_port"
#define MAIL_ATTR_LOG_HELO_NAME "log_helo_name"
#define MAIL_ATTR_LOG_PROTO_NAME "log_protocol_name"
#define MAIL_ATTR_LOG_ORIGIN "log_message_origin"

/* DSN attributes. */
#define MAIL_ATTR_DSN_STATUS "status"
#define MAIL_ATTR_DSN_DTYPE "diag_type"
#define MAIL_ATTR_DSN_DTEXT "diag_text"
#define MAIL_ATTR_DSN_MTYPE "mta_type"
#define MAIL_ATTR_DSN_MNAME "mta_mname"
#define MAIL_ATTR_DSN_ACTION "action"
#define MAIL_ATTR_DSN_ENVID "envelope_id"
#define MAIL_ATTR_DSN_RET "ret_flags"
#define MAIL_ATTR_DSN_NOTIFY "notify_flags"
#define MAIL_ATTR_DSN_ORCPT "dsn_orig_rcpt"

/* trivial-rewrite requests. */
#define REWRITE_ADDR "rewrite"
#define RESOLVE_REGULAR "resolve"
#define RESOLVE_VERIFY "verify"

/* Trigger bytes for qmgr, pickup and flush. */
#define QMGR_REQ_SCAN_DEFERRED 'D'
#define QMGR_REQ_SCAN_INCOMING 'I'
#define QMGR_REQ_FLUSH_DEAD 'F'
#define QMGR_REQ_SCAN_ALL 'A'
#define TRIGGER_REQ_WAKEUP 'W'

/* Hints and limits. */
#define MAIL_ATTR_ENC "encoding"
#define REC_TYPE_ATTR_DELIM "="

#endif
