package org.sessiontimer.camel.cluster;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of the replicated call record; ProtoStream's annotation processor writes its implementation. */
@ProtoSchema(includeClasses = { CallRecordAdapters.Record.class, CallRecordAdapters.Dialog.class,
                                CallRecordAdapters.Timer.class, CallsLostFilter.class },
             schemaPackageName = "org.sessiontimer.cluster", schemaFileName = "session-timer-call-record.proto",
             schemaFilePath = "proto")
interface CallRecordSchema extends GeneratedSchema {
}
